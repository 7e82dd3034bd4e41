package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A branch of chosen namespaces shows only those namespaces, their children and the tables in them; writes outside
 * them are refused naming the branch and its namespaces, and its merge touches nothing else.
 */
class BranchScopeTest {

  private static final String BUCKET = "branch-scope";
  private static final Namespace SALES = Namespace.of("sales");
  private static final Namespace OPS = Namespace.of("ops");
  private static final Namespace HR = Namespace.of("hr");
  private static final TableIdentifier ORDERS = TableIdentifier.of(SALES, "orders");
  private static final TableIdentifier STAFF = TableIdentifier.of(HR, "staff");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("branch-scope-key", "branch-scope-secret", BUCKET);

  private String url;
  private PangolinAdmin admin;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    try (PangolinCatalog main = RefCatalogs.open(url, "main")) {
      for (Namespace ns : List.of(SALES, Namespace.of("sales", "eu"), OPS, HR)) {
        main.createNamespace(ns);
      }
      main.createTable(ORDERS, TestTables.SCHEMA);
      main.createTable(STAFF, TestTables.SCHEMA);
    }
    admin.createBranch("acme", "main", "dev", "main", List.of(List.of("sales"), List.of("ops")));
  }

  @Test
  void theBranchShowsOnlyItsNamespacesTheirChildrenAndTheirTables() {
    try (PangolinCatalog dev = RefCatalogs.open(url, "dev")) {
      assertThat(dev.listNamespaces()).containsExactlyInAnyOrder(SALES, OPS);
      assertThat(dev.listNamespaces(SALES)).containsExactly(Namespace.of("sales", "eu"));
      assertThat(dev.namespaceExists(HR)).isFalse();
      assertThat(dev.tableExists(STAFF)).isFalse();
      assertThatThrownBy(() -> dev.listTables(HR)).isInstanceOf(NoSuchNamespaceException.class);
      assertThat(dev.listTables(SALES)).containsExactly(ORDERS);
      assertThat(dev.loadTable(ORDERS)).isNotNull();
    }
    assertThat(admin.listRefs("acme", "main")).singleElement()
        .satisfies(r -> assertThat(r.namespaces()).containsExactly(List.of("sales"), List.of("ops")));
  }

  @Test
  void refsMadeFromTheBranchHoldItsNamespaces() {
    admin.createBranch("acme", "main", "feature", "dev");
    admin.createBranch("acme", "main", "eu", "dev", List.of(List.of("sales", "eu")));
    try (PangolinCatalog feature = RefCatalogs.open(url, "feature");
        PangolinCatalog eu = RefCatalogs.open(url, "eu")) {
      assertThat(feature.listNamespaces()).containsExactlyInAnyOrder(SALES, OPS);
      assertThatThrownBy(() -> feature.createTable(TableIdentifier.of(HR, "x"), TestTables.SCHEMA))
          .isInstanceOf(ForbiddenException.class).hasMessageContaining("branch \"feature\"");
      assertThat(eu.namespaceExists(Namespace.of("sales", "eu"))).isTrue();
      assertThat(eu.namespaceExists(SALES)).isFalse();
      assertThat(eu.tableExists(ORDERS)).isFalse();
    }
    assertThatThrownBy(() -> admin.createBranch("acme", "main", "hr", "dev", List.of(List.of("hr"))))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("hr").hasMessageContaining("dev");
  }

  @Test
  void writesOutsideTheChosenNamespacesAreRefusedNamingThem() throws SQLException {
    try (PangolinCatalog dev = RefCatalogs.open(url, "dev")) {
      String before = AclScene.dump(url, BranchConformance.ROWS);
      List<String> keysBefore = LAKE.s3().keys(BUCKET, "");
      assertThatThrownBy(() -> dev.createNamespace(Namespace.of("finance")))
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("branch \"dev\"").hasMessageContaining("sales, ops");
      assertThatThrownBy(() -> dev.createTable(TableIdentifier.of(HR, "payroll"), TestTables.SCHEMA))
          .isInstanceOf(ForbiddenException.class).hasMessageContaining("sales, ops");
      assertThatThrownBy(() -> dev.dropNamespace(HR)).isInstanceOf(ForbiddenException.class);
      assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
      assertThat(LAKE.s3().keys(BUCKET, "")).as("no metadata file is written for a refused create").isEqualTo(keysBefore);

      dev.createNamespace(Namespace.of("sales", "staging"));
      Table orders = dev.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "dev")).commit();
    }
  }

  @Test
  void theMergeTouchesOnlyTheChosenNamespaces() {
    try (PangolinCatalog main = RefCatalogs.open(url, "main");
        PangolinCatalog dev = RefCatalogs.open(url, "dev")) {
      Table devOrders = dev.loadTable(ORDERS);
      devOrders.newFastAppend().appendFile(TestTables.dataFile(devOrders, "dev")).commit();
      dev.createNamespace(Namespace.of("ops", "daily"));
      Table staff = main.loadTable(STAFF);
      staff.newFastAppend().appendFile(TestTables.dataFile(staff, "main")).commit();
      main.createNamespace(Namespace.of("later"));
      String staffLocation = staff.location();
      long staffSnapshot = staff.currentSnapshot().snapshotId();

      admin.merge("acme", "main", "dev", "main");

      main.invalidateTable(ORDERS);
      assertThat(main.loadTable(ORDERS).currentSnapshot()).isNotNull();
      assertThat(main.namespaceExists(Namespace.of("ops", "daily"))).isTrue();
      main.invalidateTable(STAFF);
      assertThat(main.loadTable(STAFF).currentSnapshot().snapshotId()).isEqualTo(staffSnapshot);
      assertThat(main.loadTable(STAFF).location()).isEqualTo(staffLocation);
      assertThat(main.namespaceExists(Namespace.of("later"))).isTrue();
    }
  }

  @Test
  void aNamespaceTheSourceLacksIsRefusedAndNothingIsCreated() throws SQLException {
    String before = AclScene.dump(url, BranchConformance.ROWS);
    assertThatThrownBy(() -> admin.createBranch("acme", "main", "qa", "main", List.of(List.of("nope"))))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("nope").hasMessageContaining("main");
    assertThat(AclScene.dump(url, BranchConformance.ROWS)).isEqualTo(before);
  }
}
