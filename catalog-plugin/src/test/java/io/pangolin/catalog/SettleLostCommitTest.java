package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The decision after a lost answer to the pointer swap, with the fault injected below the catalog's pool: the
 * engine's outcome and what happens to the new metadata.json follow the fate of the swap's transaction.
 */
class SettleLostCommitTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("ns", "events");
  private static final String SWAP = "SET metadata_location = ?";
  private static final String STATUS = "pg_xact_status";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static TestS3 s3;

  private final AtomicReference<Fault> fault = new AtomicReference<>(Fault.NONE);
  private final AtomicInteger statusQueries = new AtomicInteger();
  private volatile boolean downWithTheFault;
  private String url;
  private String bucket;
  private FaultInjectingDataSource faulty;
  private PangolinCatalog writer;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("settle-key", "settle-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    url = TestCatalogs.migratedDatabase();
    bucket = "settle-" + BUCKETS.incrementAndGet();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    try (PangolinCatalog catalog = open(url, null)) {
      catalog.createNamespace(Namespace.of("ns"));
      catalog.buildTable(TABLE, TestTables.SCHEMA).withProperty(TableProperties.COMMIT_NUM_RETRIES, "0").create();
    }
    PGSimpleDataSource real = TestCatalogs.dataSource(url);
    // Server-side limits of a swap become 2 s; a lost answer is settled within 4 s.
    real.setSocketTimeout(4);
    faulty = new FaultInjectingDataSource(real, sql -> sql.contains(SWAP) || sql.contains(STATUS), sql -> {
      if (sql.contains(STATUS)) {
        statusQueries.incrementAndGet();
        return Fault.NONE;
      }
      Fault next = fault.getAndSet(Fault.NONE);
      if (next != Fault.NONE && downWithTheFault) {
        faulty.setDown(true);
      }
      return next;
    });
    writer = open(url, faulty);
  }

  @AfterEach
  void tearDown() {
    faulty.setDown(false);
    writer.close();
  }

  @Test
  void committedMeansTheCommitLanded() {
    fault.set(Fault.AFTER_APPLY);
    Set<String> before = metadataFiles();
    DataFile file = append();

    assertThat(faulty.faultsAfterApply()).isEqualTo(1);
    assertThat(pointer()).isIn(newFiles(before));
    assertThat(landed(file)).isTrue();
  }

  @Test
  void abortedMeansFailedAndTheNewFileIsDeleted() {
    fault.set(Fault.BEFORE_SEND);
    Set<String> before = metadataFiles();
    String pointerBefore = pointer();

    assertThatThrownBy(this::append).isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("the change was not applied");
    assertThat(faulty.faultsBeforeSend()).isEqualTo(1);
    assertThat(pointer()).isEqualTo(pointerBefore);
    assertThat(metadataFiles()).as("the uncommitted metadata.json was deleted").isEqualTo(before);
  }

  @Test
  void inProgressThenCommittedIsWaitedFor() throws Exception {
    fault.set(Fault.LOST_WHILE_RUNNING);
    Set<String> before = metadataFiles();
    try (Connection lock = lockPointerRow()) {
      Table table = writer.loadTable(TABLE);
      DataFile file = TestTables.dataFile(table, "running");
      AppendFiles append = table.newAppend().appendFile(file);
      CompletableFuture<Void> commit = CompletableFuture.runAsync(append::commit);
      // The swap waits on the row lock, so each status query of the settle step finds it in progress.
      while (statusQueries.get() < 2) {
        assertThat(commit).isNotDone();
        Thread.sleep(10);
      }
      lock.commit();
      commit.get(30, TimeUnit.SECONDS);

      assertThat(faulty.faultsWhileRunning()).isEqualTo(1);
      assertThat(pointer()).isIn(newFiles(before));
      assertThat(landed(file)).isTrue();
    }
  }

  @Test
  void unreachableMeansUnknownAndTheNewFileIsKept() {
    fault.set(Fault.AFTER_APPLY);
    downWithTheFault = true;
    Set<String> before = metadataFiles();

    assertThatThrownBy(this::append).isInstanceOf(CommitStateUnknownException.class);
    faulty.setDown(false);
    assertThat(pointer()).as("the swap was applied; its file is kept").isIn(newFiles(before));
    try (PangolinCatalog reader = open(url, null)) {
      reader.loadTable(TABLE);
    }
  }

  @Test
  void aSwapBlockedPastTheServerSideLockTimeoutIsACertainFailure() throws Exception {
    Set<String> before = metadataFiles();
    String pointerBefore = pointer();
    try (Connection lock = lockPointerRow()) {
      assertThatThrownBy(this::append).isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("rolled it back");
      lock.commit();
    }
    assertThat(pointer()).isEqualTo(pointerBefore);
    assertThat(metadataFiles()).isEqualTo(before);
    assertThat(statusQueries.get()).as("a definite answer needs no settling").isZero();
  }

  private DataFile append() {
    Table table = writer.loadTable(TABLE);
    DataFile file = TestTables.dataFile(table, "append");
    table.newAppend().appendFile(file).commit();
    return file;
  }

  private boolean landed(DataFile file) {
    try (PangolinCatalog reader = open(url, null)) {
      return TestTables.additionsInChain(reader.loadTable(TABLE)).containsKey(file.location());
    }
  }

  private Connection lockPointerRow() throws SQLException {
    Connection conn = TestCatalogs.dataSource(url).getConnection();
    conn.setAutoCommit(false);
    try (Statement stmt = conn.createStatement()) {
      stmt.executeQuery("SELECT 1 FROM pangolin.relations WHERE name = 'events' FOR UPDATE").close();
    }
    return conn;
  }

  private String pointer() {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT metadata_location FROM pangolin.relations WHERE name = 'events'")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private Set<String> metadataFiles() {
    Set<String> files = new HashSet<>();
    for (String key : s3.keys(bucket, "")) {
      if (key.endsWith(".metadata.json")) {
        files.add("s3://" + bucket + "/" + key);
      }
    }
    return files;
  }

  private Set<String> newFiles(Set<String> before) {
    Set<String> now = metadataFiles();
    now.removeAll(before);
    return now;
  }

  private static PangolinCatalog open(String url, FaultInjectingDataSource underlying) {
    Map<String, String> props = new java.util.HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put(PangolinConfig.POOL_CONNECTION_TIMEOUT_MS, "1000");
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", props, underlying);
    return catalog;
  }
}
