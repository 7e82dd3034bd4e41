package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPgBouncer;
import io.pangolin.testing.TestPgBouncer.PoolMode;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Commits through a real PgBouncer whose answers are lost: while the swap waits on a row lock another session
 * holds past the client's socket timeout, and with the connection cut before and after the swap is applied.
 * PgBouncer hands out made-up server process ids, so only a settle step that asks for the transaction's fate,
 * not for a process, can tell what happened. After each attempt the engine's outcome must agree with the
 * pointer, the table must load (no file a pointer references was deleted), and sessions of the same role,
 * through PgBouncer and directly, must be untouched.
 */
class PgBouncerCommitTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("ns", "events");
  private static final int SOCKET_TIMEOUT_S = 2;
  private static final long LOCK_HELD_MS = 5_000;
  private static TestS3 s3;

  private enum Outcome { SUCCESS, FAILED, UNKNOWN }

  @BeforeAll
  static void start() {
    s3 = TestS3.start("bouncer-key", "bouncer-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @ParameterizedTest
  @EnumSource(PoolMode.class)
  void lostAnswersThroughPgBouncerAreSettledByTheTransactionsFate(PoolMode mode) throws Exception {
    String url = setUp("bouncer-" + mode.name().toLowerCase(Locale.ROOT));
    AtomicReference<Fault> next = new AtomicReference<>(Fault.NONE);
    try (TestPgBouncer bouncer = TestPgBouncer.start(url, mode);
        Connection directBystander = TestCatalogs.dataSource(url).getConnection();
        Connection pooledBystander = bouncerDataSource(bouncer.jdbcUrl(url)).getConnection()) {
      int directPid = holdTransaction(directBystander);
      holdTransaction(pooledBystander);
      FaultInjectingDataSource faulty = new FaultInjectingDataSource(bouncerDataSource(bouncer.jdbcUrl(url)),
          sql -> sql.contains("pangolin.swap_pointer("), sql -> next.getAndSet(Fault.NONE));
      Set<String> acknowledged = new HashSet<>();
      List<String> outcomes = new ArrayList<>();
      try (PangolinCatalog writer = new PangolinCatalog()) {
        writer.initialize("main", TestCatalogs.properties(bouncer.jdbcUrl(url), "acme", "main"), faulty);
        for (int round = 0; round < 2; round++) {
          outcomes.add("locked " + attempt(writer, url, acknowledged, () -> lockPointerRow(url, LOCK_HELD_MS)));
          next.set(Fault.BEFORE_SEND);
          outcomes.add("cut before " + attempt(writer, url, acknowledged, () -> CompletableFuture.completedFuture(null)));
          next.set(Fault.AFTER_APPLY);
          outcomes.add("cut after " + attempt(writer, url, acknowledged, () -> CompletableFuture.completedFuture(null)));
        }
      }
      assertThat(faulty.faultsBeforeSend()).isEqualTo(2);
      assertThat(faulty.faultsAfterApply()).isEqualTo(2);
      System.out.println("PgBouncer " + mode + " pooling, outcomes: " + outcomes);
      assertThat(outcomes).as("a swap blocked past the server-side lock timeout is rolled back on the server")
          .filteredOn(o -> o.startsWith("locked")).containsOnly("locked FAILED");
      assertThat(outcomes).as("cut before the swap was sent: its transaction aborted")
          .filteredOn(o -> o.startsWith("cut before")).containsOnly("cut before FAILED");
      assertThat(outcomes).as("cut after the swap was applied: its transaction committed")
          .filteredOn(o -> o.startsWith("cut after")).containsOnly("cut after SUCCESS");
      try (PangolinCatalog reader = open(url)) {
        assertThat(TestTables.additionsInChain(reader.loadTable(TABLE)).keySet())
            .containsAll(acknowledged);
      }
      assertThat(backendPid(directBystander)).as("the direct bystander's session").isEqualTo(directPid);
      assertStillWorks(directBystander);
      assertStillWorks(pooledBystander);
    }
  }

  /** One append whose swap may meet the fault set up; checks that its outcome agrees with the pointer. */
  private static Outcome attempt(PangolinCatalog writer, String url, Set<String> acknowledged,
      java.util.function.Supplier<CompletableFuture<Void>> interference) throws Exception {
    Table table = writer.loadTable(TABLE);
    DataFile file = TestTables.dataFile(table, "attempt");
    CompletableFuture<Void> lock = interference.get();
    Outcome outcome;
    try {
      table.newAppend().appendFile(file).commit();
      outcome = Outcome.SUCCESS;
      acknowledged.add(file.location());
    } catch (CommitFailedException e) {
      outcome = Outcome.FAILED;
    } catch (CommitStateUnknownException e) {
      outcome = Outcome.UNKNOWN;
    }
    lock.get(30, TimeUnit.SECONDS);
    awaitNoSwapRunning(url);
    try (PangolinCatalog reader = open(url)) {
      Table current = reader.loadTable(TABLE);
      assertPointedFilesExist(url, current.io());
      boolean landed = TestTables.additionsInChain(current).containsKey(file.location());
      if (outcome == Outcome.SUCCESS) {
        assertThat(landed).as("an acknowledged commit is in the table").isTrue();
      } else if (outcome == Outcome.FAILED) {
        assertThat(landed).as("a commit reported as failed is not in the table").isFalse();
      }
    }
    return outcome;
  }

  /** Holds the pointer row with SELECT ... FOR UPDATE on a direct connection, released after {@code ms}. */
  private static CompletableFuture<Void> lockPointerRow(String url, long ms) {
    CompletableFuture<Void> locked = new CompletableFuture<>();
    CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
      try (Connection conn = TestCatalogs.dataSource(url).getConnection()) {
        conn.setAutoCommit(false);
        try (Statement stmt = conn.createStatement()) {
          stmt.executeQuery("SELECT 1 FROM pangolin.relations WHERE name = 'events' FOR UPDATE").close();
        }
        locked.complete(null);
        Thread.sleep(ms);
        conn.commit();
      } catch (SQLException | InterruptedException e) {
        locked.completeExceptionally(e);
        throw new IllegalStateException(e);
      }
    });
    locked.join();
    return released;
  }

  /** Waits until no swap runs on the server any more, so the pointer is what it will stay. */
  private static void awaitNoSwapRunning(String url) throws Exception {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement stmt = conn.prepareStatement("SELECT count(*) FROM pg_stat_activity"
            + " WHERE query LIKE '%SET metadata_location%' AND state <> 'idle' AND pid <> pg_backend_pid()")) {
      for (int i = 0; i < 600; i++) {
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return;
          }
        }
        Thread.sleep(50);
      }
    }
    throw new AssertionError("a swap was still running 30 s after its lock was released");
  }

  private static void assertPointedFilesExist(String url, FileIO io) throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(
            "SELECT metadata_location, previous_metadata_location FROM pangolin.relations WHERE name = 'events'")) {
      assertThat(rs.next()).isTrue();
      for (int col = 1; col <= 2; col++) {
        String location = rs.getString(col);
        if (location != null) {
          assertThat(io.newInputFile(location).exists()).as("pointer references %s", location).isTrue();
        }
      }
    }
  }

  private static int holdTransaction(Connection conn) throws SQLException {
    conn.setAutoCommit(false);
    return backendPid(conn);
  }

  private static int backendPid(Connection conn) throws SQLException {
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static void assertStillWorks(Connection conn) throws SQLException {
    try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery("SELECT 42")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
    conn.commit();
  }

  private static PGSimpleDataSource bouncerDataSource(String bouncerUrl) {
    PGSimpleDataSource ds = TestCatalogs.dataSource(bouncerUrl);
    ds.setSocketTimeout(SOCKET_TIMEOUT_S);
    // PgBouncer 1.18 in transaction pooling cannot keep named server-side prepared statements.
    ds.setPrepareThreshold(0);
    return ds;
  }

  private static String setUp(String bucket) {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    try (PangolinCatalog catalog = open(url)) {
      catalog.createNamespace(Namespace.of("ns"));
      catalog.buildTable(TABLE, TestTables.SCHEMA)
          .withProperty(TableProperties.COMMIT_NUM_RETRIES, "0")
          .create();
    }
    return url;
  }

  private static PangolinCatalog open(String url) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    return catalog;
  }
}
