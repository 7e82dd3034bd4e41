package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.GrantInfo;
import io.pangolin.metastore.MergeConflictException;
import io.pangolin.metastore.ObjectRef;
import io.pangolin.metastore.Privilege;
import io.pangolin.testing.CatalogRows;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rename on a branch merges as a rename: the parent's row moves (same id, grants kept, audited as RENAME, nothing
 * in the graveyard), chained renames merge as one, and a rename whose source or target the parent changed since is a
 * conflict that applies nothing.
 */
class BranchRenameMergeTest {

  private static final String BUCKET = "branch-renames";
  private static final Namespace NS = Namespace.of("sales");
  private static final Namespace ARCHIVE = Namespace.of("archive");
  private static final TableIdentifier ORDERS = TableIdentifier.of(NS, "orders");
  private static final TableIdentifier RENAMED = TableIdentifier.of(ARCHIVE, "orders_2025");
  private static TestS3 s3;

  private String url;
  private PangolinAdmin admin;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("rename-key", "rename-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
    admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    try (PangolinCatalog main = open("main")) {
      main.createNamespace(NS);
      main.createNamespace(ARCHIVE);
      Table orders = main.createTable(ORDERS, TestTables.SCHEMA);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "first")).commit();
    }
    grantReadOnOrders();
    admin.createBranch("acme", "main", "dev", null);
  }

  @Test
  void aRenameOnABranchMovesMainsRelationKeepingItsIdentity() {
    long id = relationId(ORDERS);
    String location;
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      location = location(dev.loadTable(RENAMED));
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.tableExists(ORDERS)).isFalse();
      assertThat(location(main.loadTable(RENAMED))).isEqualTo(location);
    }
    assertThat(relationId(RENAMED)).as("the same relations row").isEqualTo(id);
    assertThat(admin.grantsOn(ObjectRef.relation("acme", "main", List.of("archive"), "orders_2025")))
        .extracting(GrantInfo::privilege).containsExactly(Privilege.READ);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void viewsRenamedOnABranchKeepTheirIdentityToo() {
    TableIdentifier view = TableIdentifier.of(NS, "recent");
    TableIdentifier renamed = TableIdentifier.of(NS, "latest");
    try (PangolinCatalog main = open("main")) {
      main.buildView(view).withSchema(new Schema(Types.NestedField.required(1, "id", Types.LongType.get())))
          .withDefaultNamespace(NS).withQuery("spark", "SELECT id FROM orders").create();
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    long id = relationId(view);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameView(view, renamed);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.viewExists(view)).isFalse();
      assertThat(main.viewExists(renamed)).isTrue();
    }
    assertThat(relationId(renamed)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME sales.latest #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aChainOfRenamesMergesAsOneRename() {
    long id = relationId(ORDERS);
    TableIdentifier middle = TableIdentifier.of(NS, "orders_tmp");
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, middle);
      dev.renameTable(middle, RENAMED);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.listTables(NS)).isEmpty();
      assertThat(main.listTables(ARCHIVE)).containsExactly(RENAMED);
    }
    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
  }

  @Test
  void aRenameAndACommitOnABranchMergeAsOneRenameWithTheNewPointer() {
    long id = relationId(ORDERS);
    String location;
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      Table table = dev.loadTable(RENAMED);
      table.newFastAppend().appendFile(TestTables.dataFile(table, "after-rename")).commit();
      location = location(table);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      Table merged = main.loadTable(RENAMED);
      assertThat(location(merged)).isEqualTo(location);
      assertThat(TestTables.currentFiles(merged)).hasSize(2);
    }
    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
  }

  @Test
  void aRenameOnABranchOfABranchMovesItsParentsRowThenMainsRow() {
    long id = relationId(ORDERS);
    admin.createBranch("acme", "main", "feature", "dev");
    try (PangolinCatalog feature = open("feature")) {
      feature.renameTable(ORDERS, RENAMED);
    }
    admin.merge("acme", "main", "feature", "dev");
    try (PangolinCatalog dev = open("dev"); PangolinCatalog main = open("main")) {
      assertThat(dev.tableExists(ORDERS)).isFalse();
      assertThat(dev.tableExists(RENAMED)).isTrue();
      assertThat(main.tableExists(ORDERS)).isTrue();
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aRenameWhoseSourceMainCommittedIsAConflict() {
    assertRenameConflicts(main -> {
      Table orders = main.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "on-main")).commit();
    }, "sales.orders");
  }

  @Test
  void aRenameWhoseSourceMainDroppedIsAConflict() {
    assertRenameConflicts(main -> main.dropTable(ORDERS, false), "sales.orders");
  }

  @Test
  void aRenameWhoseSourceMainRenamedIsAConflict() {
    assertRenameConflicts(main -> main.renameTable(ORDERS, TableIdentifier.of(NS, "orders_main")), "sales.orders");
  }

  @Test
  void aRenameWhoseTargetMainTookIsAConflict() {
    assertRenameConflicts(main -> main.createTable(RENAMED, TestTables.SCHEMA), "archive.orders_2025");
  }

  @Test
  void aNewTableUnderTheOldNameMergesAsACreateBesideTheRename() {
    long id = relationId(ORDERS);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      dev.createTable(ORDERS, TestTables.SCHEMA);
    }

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationId(ORDERS)).as("a new relation").isNotEqualTo(id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aRenameOntoANameDroppedOnTheBranchDropsThatRelationOnMainAndMovesThisOne() {
    TableIdentifier old = TableIdentifier.of(ARCHIVE, "orders_2025");
    try (PangolinCatalog main = open("main")) {
      main.createTable(old, TestTables.SCHEMA);
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    long id = relationId(ORDERS);
    long oldId = relationId(old);
    try (PangolinCatalog dev = open("dev")) {
      dev.dropTable(old, false);
      dev.renameTable(ORDERS, old);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(old)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("DELETE archive.orders_2025 #" + oldId,
        "RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT relation_id FROM pangolin.dropped_relations WHERE ref_id IS NULL"))
        .as("main's graveyard").containsExactly(String.valueOf(oldId));
  }

  @Test
  void swappedNamesAreRefusedNamingBothRenamesAndChangeNothing() {
    TableIdentifier other = TableIdentifier.of(NS, "returns");
    TableIdentifier spare = TableIdentifier.of(NS, "spare");
    try (PangolinCatalog main = open("main")) {
      main.createTable(other, TestTables.SCHEMA);
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, spare);
      dev.renameTable(other, ORDERS);
      dev.renameTable(spare, other);
    }
    List<String> rowsBefore = rows();

    assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sales.orders -> sales.returns")
        .hasMessageContaining("sales.returns -> sales.orders")
        .hasMessageContaining("cycle");
    assertThat(rows()).isEqualTo(rowsBefore);
  }

  private void assertRenameConflicts(Consumer<PangolinCatalog> onMain, String conflict) {
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
    }
    try (PangolinCatalog main = open("main")) {
      onMain.accept(main);
    }
    List<String> rowsBefore = rows();
    List<String> keysBefore = s3.keys(BUCKET, "");

    assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
        .isInstanceOf(MergeConflictException.class)
        .hasMessageContaining(conflict)
        .hasMessageContaining("Nothing was merged")
        .satisfies(e -> assertThat(((MergeConflictException) e).conflicts()).containsExactly(conflict));
    assertThat(rows()).isEqualTo(rowsBefore);
    assertThat(s3.keys(BUCKET, "")).isEqualTo(keysBefore);
  }

  /** As the migrating superuser, which holds no MANAGE_GRANTS of its own, straight into the table. */
  private void grantReadOnOrders() {
    query("INSERT INTO pangolin.grants (catalog_id, namespace_id, relation_id, grantee, privilege)"
        + " SELECT n.catalog_id, n.id, r.id, 'pangolin_principal', 'READ' FROM pangolin.relations r"
        + " JOIN pangolin.namespaces n ON n.id = r.namespace_id WHERE r.name = 'orders' RETURNING id");
  }

  private PangolinCatalog open(String ref) {
    return RefCatalogs.open(url, ref);
  }

  private static String location(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private long relationId(TableIdentifier id) {
    return Long.parseLong(query("SELECT r.id FROM pangolin.relations r JOIN pangolin.namespaces n"
        + " ON n.id = r.namespace_id WHERE n.levels = ARRAY['" + id.namespace().level(0) + "'] AND r.name = '"
        + id.name() + "'").get(0));
  }

  private long lastAuditId() {
    return Long.parseLong(query("SELECT coalesce(max(id), 0) FROM pangolin.audit_log").get(0));
  }

  /** Changes to main's relations and its graveyard after {@code from}, as "action name #relation id". */
  private List<String> relationAuditSince(long from) {
    return query("SELECT action || ' ' || object_name || ' #' || object_id FROM pangolin.audit_log WHERE id > " + from
        + " AND object_kind IN ('relations', 'dropped_relations') ORDER BY id");
  }

  private List<String> rows() {
    return query("""
        SELECT 'relation ' || row_to_json(r)::text FROM pangolin.relations r
        UNION ALL SELECT 'dropped ' || row_to_json(d)::text FROM pangolin.dropped_relations d
        UNION ALL SELECT 'ref ' || row_to_json(f)::text FROM pangolin.refs f
        UNION ALL SELECT 'ref_relation ' || row_to_json(x)::text FROM pangolin.ref_relations x
        UNION ALL SELECT 'audit ' || row_to_json(a)::text FROM pangolin.audit_log a
        ORDER BY 1""");
  }

  private List<String> query(String sql) {
    return CatalogRows.query(url, sql);
  }
}
