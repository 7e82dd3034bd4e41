package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.types.Row;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Trino server, configured with examples/trino/pangolin.properties, on the same tables Flink writes
 * through Pangolin: Trino reads what Flink wrote, Flink reads what Trino wrote, and both commit through the same
 * pointer. Trino reaches the tables through the JDBC-catalog layout and the warehouse bucket with the S3 key the
 * properties give it; the test JVM's own (wrong) AWS environment is inherited by the Trino process on purpose.
 */
class TrinoIT {

  private static LakeEnv lake;
  private static FlinkSql flink;
  private static PangolinCatalog pangolin;
  private static TrinoServer trino;

  @BeforeAll
  static void start() throws Exception {
    lake = LakeEnv.get();
    flink = FlinkSql.batch(lake);
    pangolin = lake.pangolin();

    String catalogFile = Examples.read("trino/pangolin.properties");
    // The example takes its values from the server's environment (${ENV:...}); it has no hand-filled placeholders.
    assertThat(Examples.filled("trino/pangolin.properties", Map.of())).isEqualTo(catalogFile);
    Map<String, String> environment = Map.of(
        "PANGOLIN_DB_URI", lake.dbUrl(),
        "PANGOLIN_ENGINE_USER", TestPostgres.get().user(),
        "PANGOLIN_ENGINE_PASSWORD", TestPostgres.get().password(),
        "PANGOLIN_JDBC_CATALOG", lake.jdbcCatalogName(),
        "PANGOLIN_CATALOG_LOCATION", lake.warehouseRoot() + "/" + LakeEnv.CATALOG,
        "WAREHOUSE_S3_ENDPOINT", lake.s3().endpoint(),
        "WAREHOUSE_S3_ACCESS_KEY", LakeEnv.ACCESS_KEY,
        "WAREHOUSE_S3_SECRET_KEY", LakeEnv.SECRET_KEY);
    trino = TrinoServer.start(Path.of("target/trino").toAbsolutePath(),
        Map.of("pangolin.properties", catalogFile), environment);
  }

  @AfterAll
  static void stop() throws Exception {
    if (trino != null) {
      trino.close();
    }
    if (flink != null) {
      flink.close();
    }
    if (pangolin != null) {
      pangolin.close();
    }
  }

  @Test
  void trinoReadsWhatFlinkWroteAndFlinkReadsWhatTrinoWrote() throws Exception {
    flink.execute("CREATE DATABASE lake.shared");
    flink.execute("CREATE TABLE lake.shared.trades (id BIGINT, symbol STRING, qty INT)");
    flink.execute("INSERT INTO lake.shared.trades VALUES (1, 'PNGN', 10), (2, 'ICBG', 20)");

    assertThat(trinoRows("SHOW SCHEMAS FROM pangolin")).contains(List.of("shared"));
    assertThat(trinoRows("SHOW TABLES FROM pangolin.shared")).containsExactly(List.of("trades"));
    assertThat(trinoRows("SELECT id, symbol, qty FROM pangolin.shared.trades ORDER BY id"))
        .containsExactly(List.of(1L, "PNGN", 10), List.of(2L, "ICBG", 20));

    long beforeTrino = pangolin.loadTable(LakeEnv.id("shared", "trades")).currentSnapshot().snapshotId();
    trinoUpdate("INSERT INTO pangolin.shared.trades VALUES (3, 'TRNO', 30)");

    List<Row> rows = flink.rows("SELECT id, symbol, qty FROM lake.shared.trades ORDER BY id");
    assertThat(rows).extracting(r -> List.of(r.getField(0), r.getField(1), r.getField(2)))
        .containsExactly(List.of(1L, "PNGN", 10), List.of(2L, "ICBG", 20), List.of(3L, "TRNO", 30));

    // Trino's commit moved Pangolin's pointer on top of Flink's snapshot, and its files are in the warehouse.
    Table table = pangolin.loadTable(LakeEnv.id("shared", "trades"));
    Snapshot trinoSnapshot = table.currentSnapshot();
    assertThat(trinoSnapshot.parentId()).isEqualTo(beforeTrino);
    assertThat(trinoSnapshot.summary()).containsEntry("added-records", "1");
    String prefix = table.location().substring(("s3://" + LakeEnv.BUCKET + "/").length()) + "/";
    String metadata = ((HasTableOperations) table).operations().current().metadataFileLocation();
    assertThat(lake.keys(prefix)).contains(metadata.substring(("s3://" + LakeEnv.BUCKET + "/").length()));
    assertThat(TestTables.currentFiles(table))
        .hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(path -> assertThat(path).startsWith(table.location() + "/data/"));

    // Flink appends again on top of Trino's commit; Trino sees all four rows.
    flink.execute("INSERT INTO lake.shared.trades VALUES (4, 'FLNK', 40)");
    assertThat(trinoRows("SELECT count(*), sum(qty) FROM pangolin.shared.trades"))
        .containsExactly(List.of(4L, 100L));
  }

  @Test
  void schemasAndTablesTrinoCreatesArePangolins() throws Exception {
    trinoUpdate("CREATE SCHEMA pangolin.from_trino");
    trinoUpdate("CREATE TABLE pangolin.from_trino.readings (sensor VARCHAR, reading DOUBLE)");
    trinoUpdate("INSERT INTO pangolin.from_trino.readings VALUES ('a', 1.5), ('b', 2.5)");

    assertThat(pangolin.listNamespaces()).contains(Namespace.of("from_trino"));
    Table table = pangolin.loadTable(LakeEnv.id("from_trino", "readings"));
    // Beside the catalog's own tables, as the example's default-warehouse-dir says.
    assertThat(table.location()).startsWith(lake.warehouseRoot() + "/" + LakeEnv.CATALOG + "/from_trino/readings-");

    List<Row> rows = flink.rows("SELECT sensor, reading FROM lake.from_trino.readings ORDER BY sensor");
    assertThat(rows).extracting(r -> List.of(r.getField(0), r.getField(1)))
        .containsExactly(List.of("a", 1.5), List.of("b", 2.5));

    // Flink commits to Trino's table through Pangolin; Trino drops it, files and all, and Pangolin sees it gone.
    flink.execute("INSERT INTO lake.from_trino.readings VALUES ('c', 3.5)");
    assertThat(trinoRows("SELECT count(*) FROM pangolin.from_trino.readings")).containsExactly(List.of(3L));
    String prefix = table.location().substring(("s3://" + LakeEnv.BUCKET + "/").length()) + "/";
    assertThat(lake.keys(prefix)).isNotEmpty();
    trinoUpdate("DROP TABLE pangolin.from_trino.readings");
    assertThat(pangolin.tableExists(LakeEnv.id("from_trino", "readings"))).isFalse();
    assertThat(lake.keys(prefix)).isEmpty();
  }

  /**
   * What the database layout does not enforce: Pangolin keeps a catalog's tables inside its warehouse (root and
   * allowed locations) by checking in the plugin, which Trino does not run. Trino can register a table anywhere
   * its own S3 key reaches; Pangolin then neither reads nor writes it, because a warehouse serves its own
   * locations and nothing else.
   */
  @Test
  void aTableTrinoPlacesOutsideTheWarehouseIsRegisteredButPangolinWillNotServeIt() throws Exception {
    String outside = "s3://" + LakeEnv.BUCKET + "/not-the-warehouse/stray";
    trinoUpdate("CREATE SCHEMA pangolin.strays");
    trinoUpdate("CREATE TABLE pangolin.strays.t (id BIGINT) WITH (location = '" + outside + "')");

    String refusal = "it is outside warehouse '" + LakeEnv.TENANT + "/" + LakeEnv.WAREHOUSE + "'";
    assertThatThrownBy(() -> pangolin.loadTable(LakeEnv.id("strays", "t")))
        .hasMessageContaining(outside)
        .hasMessageContaining(refusal);
    // Flink plans the INSERT with the table loaded, so the refusal may come first or as a cause.
    assertThatThrownBy(() -> flink.execute("INSERT INTO lake.strays.t VALUES (1)"))
        .hasStackTraceContaining(refusal);
  }

  /**
   * Trino's scheduler learns of its own node a moment after the node lists itself as active; a query in that
   * moment fails with "No nodes available", and is simply run again.
   */
  private static <T> T withNodes(TrinoCall<T> call) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (SQLException e) {
        if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("No nodes available")) {
          throw e;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @FunctionalInterface
  private interface TrinoCall<T> {
    T run() throws SQLException;
  }

  private static List<List<Object>> trinoRows(String sql) throws SQLException {
    return withNodes(() -> trinoRowsOnce(sql));
  }

  private static void trinoUpdate(String sql) throws SQLException {
    withNodes(() -> {
      trinoUpdateOnce(sql);
      return null;
    });
  }

  private static List<List<Object>> trinoRowsOnce(String sql) throws SQLException {
    try (Connection conn = trino.connect(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nTrino log:\n" + trino.logTail(), e);
    }
  }

  private static void trinoUpdateOnce(String sql) throws SQLException {
    try (Connection conn = trino.connect(); Statement stmt = conn.createStatement()) {
      stmt.execute(sql);
    } catch (SQLException e) {
      throw new SQLException(e.getMessage() + "\nTrino log:\n" + trino.logTail(), e);
    }
  }
}
