package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Table state lives in the warehouse's bucket, catalog state in PostgreSQL, and both outlive the catalog. */
class SeedScenarioTest {

  private static final String BUCKET = "seed";
  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("seed-key", "seed-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void metadataIsInTheBucketAndSurvivesTheCatalog() throws SQLException {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
    TableIdentifier id = TableIdentifier.of("sales", "orders");

    PangolinCatalog first = new PangolinCatalog();
    first.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    first.createNamespace(Namespace.of("sales"));
    Table table = first.createTable(id, TestTables.SCHEMA);
    DataFile file = TestTables.dataFile(table, "seed");
    table.newAppend().appendFile(file).commit();
    long snapshotId = table.currentSnapshot().snapshotId();
    String metadataLocation = ((HasTableOperations) table).operations().current().metadataFileLocation();
    String tableUuid = table.uuid().toString();
    first.close();

    String prefix = "s3://" + BUCKET + "/";
    assertThat(metadataLocation).startsWith(prefix + "warehouse/main/sales/orders-").endsWith(".metadata.json");
    List<String> keys = s3.keys(BUCKET, "warehouse/main/sales/");
    assertThat(keys).contains(metadataLocation.substring(prefix.length()));
    assertThat(keys).anyMatch(k -> k.contains("/metadata/snap-") && k.endsWith(".avro"));
    assertThat(keys).contains(file.location().substring(prefix.length()));

    // PostgreSQL holds the pointer, and nothing of the metadata itself.
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement()) {
      try (ResultSet rs = stmt.executeQuery("SELECT metadata_location FROM pangolin.relations")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo(metadataLocation);
      }
      for (String catalogTable : tablesOf(stmt, "pangolin")) {
        try (ResultSet rs = stmt.executeQuery(
            "SELECT count(*) FROM pangolin." + catalogTable + " t WHERE t::text LIKE '%" + tableUuid + "%'")) {
          rs.next();
          assertThat(rs.getLong(1)).as("table UUID found in pangolin.%s", catalogTable).isZero();
        }
      }
    }

    PangolinCatalog second = new PangolinCatalog();
    second.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    try {
      Table reloaded = second.loadTable(id);
      assertThat(reloaded.currentSnapshot().snapshotId()).isEqualTo(snapshotId);
      assertThat(TestTables.currentFiles(reloaded)).containsExactly(file.location());
      assertThat(reloaded.uuid().toString()).isEqualTo(tableUuid);
    } finally {
      second.close();
    }
  }

  private static List<String> tablesOf(Statement stmt, String schema) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = stmt.executeQuery(
        "SELECT tablename FROM pg_tables WHERE schemaname = '" + schema + "'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
