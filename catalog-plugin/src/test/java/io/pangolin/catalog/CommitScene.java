package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A migrated database with catalog acme/main on its own bucket and table ns.events (no engine retries), for the
 * tests of commits with faults injected below the pool: opens catalogs with or without a data source that breaks
 * the next pointer swap as armed, and reads pointers and metadata files behind the catalog's back.
 */
final class CommitScene {

  static final TableIdentifier TABLE = TableIdentifier.of("ns", "events");
  private static final String SWAP = "pangolin.swap_pointer(";

  private final TestS3 s3;
  private final String url;
  private final String bucket;
  private final AtomicReference<Fault> armed = new AtomicReference<>(Fault.NONE);
  private volatile boolean downWithTheFault;
  private FaultInjectingDataSource faulty;

  CommitScene(TestS3 s3, String bucket) {
    this.s3 = s3;
    this.url = TestCatalogs.migratedDatabase();
    this.bucket = bucket;
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    try (PangolinCatalog catalog = open(null)) {
      catalog.createNamespace(Namespace.of("ns"));
      catalog.buildTable(TABLE, TestTables.SCHEMA).withProperty(TableProperties.COMMIT_NUM_RETRIES, "0").create();
    }
  }

  /**
   * Opens the writer: a catalog whose next pointer swap gets the {@link #arm armed} fault. Every other statement
   * that contains one of {@code watched} is shown to {@code watch} before it runs.
   */
  PangolinCatalog openFaulty(List<String> watched, Consumer<String> watch) {
    PGSimpleDataSource real = TestCatalogs.dataSource(url);
    // Server-side limits of a swap become 2 s; a lost answer is settled within 4 s.
    real.setSocketTimeout(4);
    faulty = new FaultInjectingDataSource(real, sql -> sql.contains(SWAP) || watched.stream().anyMatch(sql::contains),
        sql -> {
          if (!sql.contains(SWAP)) {
            watch.accept(sql);
            return Fault.NONE;
          }
          Fault next = armed.getAndSet(Fault.NONE);
          if (next != Fault.NONE && downWithTheFault) {
            faulty.setDown(true);
          }
          return next;
        });
    return open(faulty);
  }

  /** Breaks the next pointer swap; with {@code takeTheServerDown}, the database stays unreachable after it. */
  void arm(Fault fault, boolean takeTheServerDown) {
    downWithTheFault = takeTheServerDown;
    armed.set(fault);
  }

  FaultInjectingDataSource faulty() {
    return faulty;
  }

  String url() {
    return url;
  }

  PangolinCatalog open(FaultInjectingDataSource underlying) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put(PangolinConfig.POOL_CONNECTION_TIMEOUT_MS, "1000");
    return PangolinCatalogs.open("main", props, underlying);
  }

  /** A connection holding the pointer row of relation {@code name} locked, until it commits. */
  Connection lockPointerRow(String name) throws SQLException {
    Connection conn = TestCatalogs.dataSource(url).getConnection();
    conn.setAutoCommit(false);
    try (Statement stmt = conn.createStatement()) {
      stmt.executeQuery("SELECT 1 FROM pangolin.relations WHERE name = '" + name + "' FOR UPDATE").close();
    }
    return conn;
  }

  String pointer(String name) {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(
            "SELECT metadata_location FROM pangolin.relations WHERE name = '" + name + "'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  Set<String> metadataFiles() {
    Set<String> files = new HashSet<>();
    for (String key : s3.keys(bucket, "")) {
      if (key.endsWith(".metadata.json")) {
        files.add("s3://" + bucket + "/" + key);
      }
    }
    return files;
  }

  Set<String> newFiles(Set<String> before) {
    Set<String> now = metadataFiles();
    now.removeAll(before);
    return now;
  }
}
