package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.refs.MergeConflictException;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespaces per branch: what a branch does to namespaces (create, drop, properties) is invisible on the other refs
 * until merged; a merge publishes namespace and table changes in one transaction, or names every conflict and
 * changes nothing; tags refuse namespace changes.
 */
class BranchNamespaceTest {

  private static final String BUCKET = "branch-namespaces";
  private static final Namespace SALES = Namespace.of("sales");
  private static final Namespace EMPTY = Namespace.of("empty");
  private static final Namespace OPS = Namespace.of("ops");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("branch-ns-key", "branch-ns-secret", BUCKET);

  private String url;
  private PangolinAdmin admin;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    try (PangolinCatalog main = open("main")) {
      main.createNamespace(SALES, Map.of("owner", "finance"));
      main.createNamespace(EMPTY);
      main.createTable(TableIdentifier.of(SALES, "orders"), TestTables.SCHEMA);
    }
    admin.createBranch("acme", "main", "dev", null);
  }

  private PangolinCatalog open(String ref) {
    return RefCatalogs.open(url, ref);
  }

  @Test
  void namespaceChangesOnABranchAreInvisibleOnMainAndTheOtherWayRound() {
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS, Map.of("team", "ops"));
      dev.createNamespace(Namespace.of("ops", "daily"));
      dev.setProperties(SALES, Map.of("owner", "dev-team", "extra", "1"));
      dev.removeProperties(SALES, Set.of("extra"));
      assertThat(dev.dropNamespace(EMPTY)).isTrue();

      assertThat(dev.listNamespaces()).containsExactlyInAnyOrder(SALES, OPS);
      assertThat(dev.listNamespaces(OPS)).containsExactly(Namespace.of("ops", "daily"));
      assertThat(dev.loadNamespaceMetadata(OPS)).containsExactlyEntriesOf(Map.of("team", "ops"));
      assertThat(dev.loadNamespaceMetadata(SALES)).containsExactlyEntriesOf(Map.of("owner", "dev-team"));
      assertThat(dev.namespaceExists(EMPTY)).isFalse();

      assertThat(main.listNamespaces()).containsExactlyInAnyOrder(SALES, EMPTY);
      assertThat(main.namespaceExists(OPS)).isFalse();
      assertThat(main.loadNamespaceMetadata(SALES)).containsExactlyEntriesOf(Map.of("owner", "finance"));
      assertThat(main.namespaceExists(EMPTY)).isTrue();

      main.createNamespace(Namespace.of("later"));
      main.setProperties(SALES, Map.of("owner", "main-team"));
      main.dropNamespace(EMPTY);
      assertThat(dev.namespaceExists(Namespace.of("later"))).isFalse();
      assertThat(dev.loadNamespaceMetadata(SALES)).containsExactlyEntriesOf(Map.of("owner", "dev-team"));
      assertThat(dev.listNamespaces()).containsExactlyInAnyOrder(SALES, OPS);
    }
  }

  @Test
  void aBranchKeepsANamespaceMainDropsAfterTheFork() {
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      main.dropNamespace(EMPTY);
      assertThat(dev.namespaceExists(EMPTY)).isTrue();
      dev.createTable(TableIdentifier.of(EMPTY, "kept"), TestTables.SCHEMA);
      assertThat(dev.listTables(EMPTY)).containsExactly(TableIdentifier.of(EMPTY, "kept"));
    }
  }

  @Test
  void tablesLiveInANamespaceThatExistsOnlyOnTheBranch() {
    TableIdentifier events = TableIdentifier.of(OPS, "events");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS);
      Table table = dev.createTable(events, TestTables.SCHEMA);
      table.newFastAppend().appendFile(TestTables.dataFile(table, "ops")).commit();
      assertThat(dev.listTables(OPS)).containsExactly(events);
      assertThat(dev.loadTable(events).currentSnapshot()).isNotNull();
      assertThatThrownBy(() -> dev.dropNamespace(OPS)).isInstanceOf(NamespaceNotEmptyException.class)
          .hasMessageContaining("ops").hasMessageContaining("dev");
      assertThat(main.tableExists(events)).isFalse();
      assertThat(main.namespaceExists(OPS)).isFalse();
    }
  }

  @Test
  void mergePublishesNamespaceAndTableChangesTogether() {
    TableIdentifier events = TableIdentifier.of(Namespace.of("ops", "daily"), "events");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS, Map.of("team", "ops"));
      dev.createNamespace(Namespace.of("ops", "daily"));
      dev.createTable(events, TestTables.SCHEMA);
      dev.setProperties(SALES, Map.of("owner", "dev-team"));
      dev.dropNamespace(EMPTY);

      admin.merge("acme", "main", "dev", "main");

      assertThat(main.listNamespaces()).containsExactlyInAnyOrder(SALES, OPS);
      assertThat(main.loadNamespaceMetadata(OPS)).containsExactlyEntriesOf(Map.of("team", "ops"));
      assertThat(main.loadNamespaceMetadata(SALES)).containsExactlyEntriesOf(Map.of("owner", "dev-team"));
      assertThat(main.listTables(Namespace.of("ops", "daily"))).containsExactly(events);
      assertThat(main.loadTable(events)).isNotNull();

      dev.setProperties(OPS, Map.of("team", "platform"));
      admin.merge("acme", "main", "dev", "main");
      assertThat(main.loadNamespaceMetadata(OPS)).containsExactlyEntriesOf(Map.of("team", "platform"));
    }
  }

  @Test
  void conflictingNamespaceChangesAreNamedAndNothingIsMerged() throws SQLException {
    TableIdentifier events = TableIdentifier.of(OPS, "events");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS);
      dev.createTable(events, TestTables.SCHEMA);
      dev.setProperties(SALES, Map.of("owner", "dev-team"));
      dev.createNamespace(Namespace.of("fresh"));
      main.createNamespace(OPS);
      main.setProperties(SALES, Map.of("owner", "main-team"));

      String before = AclScene.dump(url, BranchConformance.ROWS);
      List<String> keysBefore = LAKE.s3().keys(BUCKET, "");
      assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
          .isInstanceOf(MergeConflictException.class)
          .hasMessageContaining("namespace ops").hasMessageContaining("namespace sales")
          .hasMessageContaining("Nothing was merged")
          .satisfies(e -> assertThat(((MergeConflictException) e).conflicts())
              .containsExactlyInAnyOrder("namespace ops", "namespace sales"));
      assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
      assertThat(LAKE.s3().keys(BUCKET, "")).isEqualTo(keysBefore);
      assertThat(main.namespaceExists(Namespace.of("fresh"))).isFalse();
      assertThat(main.tableExists(events)).isFalse();
    }
  }

  @Test
  void aTableConflictKeepsTheBranchsNamespacesOffMainToo() throws SQLException {
    TableIdentifier orders = TableIdentifier.of(SALES, "orders");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS);
      dev.dropNamespace(EMPTY);
      Table devOrders = dev.loadTable(orders);
      devOrders.newFastAppend().appendFile(TestTables.dataFile(devOrders, "dev")).commit();
      Table mainOrders = main.loadTable(orders);
      mainOrders.newFastAppend().appendFile(TestTables.dataFile(mainOrders, "main")).commit();
      String before = AclScene.dump(url, BranchConformance.ROWS);
      assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
          .isInstanceOf(MergeConflictException.class)
          .satisfies(e -> assertThat(((MergeConflictException) e).conflicts()).containsExactly("sales.orders"));
      assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
      assertThat(main.namespaceExists(OPS)).isFalse();
      assertThat(main.namespaceExists(EMPTY)).isTrue();
    }
  }

  @Test
  void aBranchOfABranchMergesItsNamespacesIntoItsParentOnly() {
    admin.createBranch("acme", "main", "feature", "dev");
    TableIdentifier events = TableIdentifier.of(OPS, "events");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev");
        PangolinCatalog feature = open("feature")) {
      feature.createNamespace(OPS, Map.of("team", "ops"));
      feature.createTable(events, TestTables.SCHEMA);
      feature.dropNamespace(EMPTY);
      admin.merge("acme", "main", "feature", "dev");
      assertThat(dev.loadNamespaceMetadata(OPS)).containsExactlyEntriesOf(Map.of("team", "ops"));
      assertThat(dev.tableExists(events)).isTrue();
      assertThat(dev.namespaceExists(EMPTY)).isFalse();
      assertThat(main.namespaceExists(OPS)).isFalse();
      assertThat(main.namespaceExists(EMPTY)).isTrue();

      admin.merge("acme", "main", "dev", "main");
      assertThat(main.loadNamespaceMetadata(OPS)).containsExactlyEntriesOf(Map.of("team", "ops"));
      assertThat(main.tableExists(events)).isTrue();
      assertThat(main.namespaceExists(EMPTY)).isFalse();
    }
  }

  @Test
  void aDropMainCannotTakeIsAConflict() throws SQLException {
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.dropNamespace(EMPTY);
      main.createTable(TableIdentifier.of(EMPTY, "arrived"), TestTables.SCHEMA);
      String before = AclScene.dump(url, BranchConformance.ROWS);
      assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
          .isInstanceOf(MergeConflictException.class)
          .satisfies(e -> assertThat(((MergeConflictException) e).conflicts()).containsExactly("namespace empty"));
      assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
    }
  }

  @Test
  void aTagRefusesNamespaceChanges() throws SQLException {
    admin.createTag("acme", "main", "v1", "main");
    try (PangolinCatalog main = open("main"); PangolinCatalog tag = open("v1")) {
      main.createNamespace(OPS);
      String before = AclScene.dump(url, BranchConformance.ROWS);
      assertThatThrownBy(() -> tag.createNamespace(Namespace.of("other")))
          .isInstanceOf(ForbiddenException.class).hasMessageContaining("tag 'v1'");
      assertThatThrownBy(() -> tag.setProperties(SALES, Map.of("a", "b"))).isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> tag.removeProperties(SALES, Set.of("owner"))).isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> tag.dropNamespace(EMPTY)).isInstanceOf(ForbiddenException.class);
      assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
      assertThat(tag.namespaceExists(OPS)).as("the tag keeps the namespaces of its moment").isFalse();
    }
  }

  @Test
  void namespaceChangesOnABranchAreAudited() throws SQLException {
    try (PangolinCatalog dev = open("dev")) {
      dev.createNamespace(OPS);
      dev.setProperties(OPS, Map.of("k", "v"));
      dev.dropNamespace(OPS);
    }
    assertThat(query("SELECT action || ' ' || object_name FROM pangolin.audit_log WHERE object_kind = 'refs'"
        + " AND detail->>'kind' = 'NAMESPACE' ORDER BY id"))
        .containsExactly("CREATE_NAMESPACE ops@dev", "UPDATE_NAMESPACE ops@dev", "DROP_NAMESPACE ops@dev");
  }

  private List<String> query(String sql) throws SQLException {
    return BranchConformance.query(url, sql);
  }
}
