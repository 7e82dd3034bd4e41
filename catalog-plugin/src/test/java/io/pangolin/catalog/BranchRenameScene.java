package io.pangolin.catalog;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.testing.CatalogRows;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the rename-merge tests share: a catalog whose main holds sales.orders (one snapshot, a READ grant on the
 * table) and namespace archive, branch dev made from it, and the rows and audit trail to compare.
 */
abstract class BranchRenameScene {

  static final String BUCKET = "branch-renames";
  static final Namespace NS = Namespace.of("sales");
  static final Namespace ARCHIVE = Namespace.of("archive");
  static final TableIdentifier ORDERS = TableIdentifier.of(NS, "orders");
  static final TableIdentifier RENAMED = TableIdentifier.of(ARCHIVE, "orders_2025");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("rename-key", "rename-secret", BUCKET);

  String url;
  PangolinAdmin admin;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
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

  /** As the migrating superuser, which holds no MANAGE_GRANTS of its own, straight into the table. */
  void grantReadOnOrders() {
    query("INSERT INTO pangolin.grants (catalog_id, namespace_id, relation_id, grantee, privilege)"
        + " SELECT n.catalog_id, n.id, r.id, 'pangolin_principal', 'READ' FROM pangolin.relations r"
        + " JOIN pangolin.namespaces n ON n.id = r.namespace_id WHERE r.name = 'orders' RETURNING id");
  }

  PangolinCatalog open(String ref) {
    return RefCatalogs.open(url, ref);
  }

  static String location(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  long relationId(TableIdentifier id) {
    return Long.parseLong(query("SELECT r.id FROM pangolin.relations r JOIN pangolin.namespaces n"
        + " ON n.id = r.namespace_id WHERE n.levels = ARRAY['" + id.namespace().level(0) + "'] AND r.name = '"
        + id.name() + "'").get(0));
  }

  long lastAuditId() {
    return Long.parseLong(query("SELECT coalesce(max(id), 0) FROM pangolin.audit_log").get(0));
  }

  /** Changes to main's relations and its graveyard after {@code from}, as "action name #relation id". */
  List<String> relationAuditSince(long from) {
    return query("SELECT action || ' ' || object_name || ' #' || object_id FROM pangolin.audit_log WHERE id > " + from
        + " AND object_kind IN ('relations', 'dropped_relations') ORDER BY id");
  }

  List<String> rows() {
    return query("""
        SELECT 'relation ' || row_to_json(r)::text FROM pangolin.relations r
        UNION ALL SELECT 'dropped ' || row_to_json(d)::text FROM pangolin.dropped_relations d
        UNION ALL SELECT 'ref ' || row_to_json(f)::text FROM pangolin.refs f
        UNION ALL SELECT 'ref_relation ' || row_to_json(x)::text FROM pangolin.ref_relations x
        UNION ALL SELECT 'audit ' || row_to_json(a)::text FROM pangolin.audit_log a
        ORDER BY 1""");
  }

  List<String> query(String sql) {
    return CatalogRows.query(url, sql);
  }
}
