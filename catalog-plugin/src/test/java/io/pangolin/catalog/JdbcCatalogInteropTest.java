package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.JdbcLayoutClients;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Iceberg's own JdbcCatalog, configured as the README says (connection schema pangolin_jdbc, catalog name the
 * Pangolin catalog's JDBC name), shares Pangolin's tables: it lists and loads them, and its commits go through
 * the same compare-and-swap and are seen by Pangolin.
 */
class JdbcCatalogInteropTest {

  private static final String BUCKET = "interop";

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("interop-key", "interop-secret", BUCKET);

  private String url;
  private PangolinCatalog pangolin;
  private JdbcCatalog jdbc;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    pangolin = new PangolinCatalog();
    pangolin.initialize("main", TestCatalogs.properties(url, "acme", "main"));

    jdbc = JdbcLayoutClients.jdbcCatalog(url, "acme_main", LAKE.s3(), BUCKET);
  }

  @AfterEach
  void tearDown() throws Exception {
    pangolin.close();
    jdbc.close();
  }

  @Test
  void jdbcCatalogListsLoadsAndCommitsToPangolinTables() {
    TableIdentifier id = TableIdentifier.of("sales", "orders");
    pangolin.createNamespace(Namespace.of("sales"), Map.of("owner", "finance"));
    Table table = pangolin.createTable(id, TestTables.SCHEMA);
    DataFile first = TestTables.dataFile(table, "pangolin");
    table.newAppend().appendFile(first).commit();

    assertThat(jdbc.listNamespaces()).contains(Namespace.of("sales"));
    assertThat(jdbc.loadNamespaceMetadata(Namespace.of("sales"))).containsEntry("owner", "finance");
    assertThat(jdbc.listTables(Namespace.of("sales"))).containsExactly(id);
    Table viaJdbc = jdbc.loadTable(id);
    assertThat(viaJdbc.currentSnapshot().snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());

    DataFile second = TestTables.dataFile(viaJdbc, "jdbc");
    viaJdbc.newAppend().appendFile(second).commit();

    Table reloaded = pangolin.loadTable(id);
    assertThat(reloaded.currentSnapshot().snapshotId()).isEqualTo(viaJdbc.currentSnapshot().snapshotId());
    assertThat(TestTables.currentFiles(reloaded)).containsExactlyInAnyOrder(first.location(), second.location());
  }

  @Test
  void aStaleCompareAndSwapThroughTheLayoutChangesNothing() throws Exception {
    TableIdentifier id = TableIdentifier.of("ns", "t");
    pangolin.createNamespace(Namespace.of("ns"));
    Table table = pangolin.createTable(id, TestTables.SCHEMA);
    String stale = ((HasTableOperations) table).operations().current().metadataFileLocation();
    table.newAppend().appendFile(TestTables.dataFile(table, "moves-the-pointer")).commit();
    String current = ((HasTableOperations) pangolin.loadTable(id)).operations().current().metadataFileLocation();

    String update = "UPDATE iceberg_tables SET metadata_location = ?, previous_metadata_location = ?"
        + " WHERE catalog_name = ? AND table_namespace = ? AND table_name = ? AND metadata_location = ?";
    try (Connection conn = TestCatalogs.dataSource(JdbcLayoutClients.layoutUrl(url)).getConnection();
        PreparedStatement stmt = conn.prepareStatement(update)) {
      stmt.setString(1, "s3://" + BUCKET + "/elsewhere.metadata.json");
      stmt.setString(2, stale);
      stmt.setString(3, "acme_main");
      stmt.setString(4, "ns");
      stmt.setString(5, "t");
      stmt.setString(6, stale);
      assertThat(stmt.executeUpdate()).isZero();

      stmt.setString(6, current);
      stmt.setString(1, current);
      assertThat(stmt.executeUpdate()).as("a swap from the current location applies").isOne();
    }
    assertThat(((HasTableOperations) pangolin.loadTable(id)).operations().current().metadataFileLocation())
        .isEqualTo(current);
  }

  @Test
  void namespacesAndTablesCreatedThroughJdbcCatalogArePangolins() {
    jdbc.createNamespace(Namespace.of("raw"), Map.of("team", "ingest"));
    jdbc.createTable(TableIdentifier.of("raw", "clicks"), TestTables.SCHEMA);

    assertThat(pangolin.loadNamespaceMetadata(Namespace.of("raw"))).containsEntry("team", "ingest");
    assertThat(pangolin.listTables(Namespace.of("raw"))).containsExactly(TableIdentifier.of("raw", "clicks"));
    assertThat(pangolin.loadTable(TableIdentifier.of("raw", "clicks")).schema().asStruct())
        .isEqualTo(TestTables.SCHEMA.asStruct());

    assertThat(jdbc.dropTable(TableIdentifier.of("raw", "clicks"), false)).isTrue();
    assertThat(pangolin.tableExists(TableIdentifier.of("raw", "clicks"))).isFalse();
    assertThat(jdbc.dropNamespace(Namespace.of("raw"))).isTrue();
    assertThat(pangolin.namespaceExists(Namespace.of("raw"))).isFalse();
  }

  @Test
  void aJdbcReaderSeesLevelsJoinedWithDots() throws Exception {
    pangolin.createNamespace(Namespace.of("a.b"));
    pangolin.createTable(TableIdentifier.of(Namespace.of("a.b"), "t%_\"x"), TestTables.SCHEMA);
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement stmt = conn.prepareStatement(
            "SELECT table_namespace, table_name FROM pangolin_jdbc.iceberg_tables WHERE catalog_name = 'acme_main'");
        ResultSet rs = stmt.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("a.b");
      assertThat(rs.getString(2)).isEqualTo("t%_\"x");
    }
  }
}
