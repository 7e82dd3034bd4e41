package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.IntPredicate;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Catalog instances on the same database and login share one pool per JVM, as engines that never close a
 * catalog (Spark: one instance per session) need; the pool goes when the last instance closes, or when nobody
 * has used it for the idle-close time.
 */
class SharedPoolTest {

  private static final int INSTANCES = 60;
  private static final Namespace NS = Namespace.of("ns");
  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("pool-key", "pool-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void unclosedInstancesShareOnePoolUntilTheLastCloses() throws SQLException {
    String url = catalogDatabase("shared");
    int threadsBefore = pangolinThreads();
    List<PangolinCatalog> catalogs = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      catalogs.add(open(url, Map.of()));
      catalogs.get(i).listNamespaces();
    }
    catalogs.get(0).createNamespace(NS);
    catalogs.get(INSTANCES - 1).createTable(TableIdentifier.of(NS, "t"), TestTables.SCHEMA);
    assertThat(catalogs.get(INSTANCES / 2).loadTable(TableIdentifier.of(NS, "t")).schema().columns()).isNotEmpty();

    assertThat(serverConnections(url)).as("server connections of %s open catalogs", INSTANCES)
        .isBetween(1, PangolinConfig.POOL_MAX_SIZE_DEFAULT);
    assertThat(pangolinThreads() - threadsBefore).as("Pangolin threads of %s open catalogs", INSTANCES)
        .isLessThanOrEqualTo(5);

    catalogs.forEach(PangolinCatalog::close);
    assertThat(awaitCount(() -> serverConnections(url), n -> n == 0)).as("connections after all closed").isZero();
    assertThat(awaitCount(SharedPoolTest::pangolinThreads, n -> n <= threadsBefore + 1))
        .as("Pangolin threads once the pool closed (the cleaner stays)").isLessThanOrEqualTo(threadsBefore + 1);

    try (PangolinCatalog reopened = open(url, Map.of())) {
      assertThat(reopened.listTables(NS)).containsExactly(TableIdentifier.of(NS, "t"));
    }
  }

  @Test
  void anotherLoginOrUrlGetsAPoolOfItsOwn() throws SQLException {
    String url = catalogDatabase("logins");
    String otherUser = "pangolin_other_" + Long.toHexString(System.nanoTime());
    admin(url, "CREATE ROLE " + otherUser + " LOGIN SUPERUSER PASSWORD 'other-Secret-9'");
    Map<String, String> other = Map.of("jdbc.user", otherUser, "jdbc.password", "other-Secret-9");
    Map<String, String> otherWithAnotherPassword = Map.of("jdbc.user", otherUser, "jdbc.password", "not-the-same");

    try (PangolinCatalog first = open(url, Map.of());
        PangolinCatalog sameAsFirst = open(url, Map.of());
        PangolinCatalog otherLogin = open(url, other);
        PangolinCatalog sameUserOtherPassword = open(url, otherWithAnotherPassword);
        PangolinCatalog otherUrl = open(url + "?tcpKeepAlive=true", Map.of())) {
      List.of(first, sameAsFirst, otherLogin, sameUserOtherPassword, otherUrl).forEach(c -> c.listNamespaces());
      assertThat(serverConnectionsOf(url, otherUser))
          .as("a different password never rides on a pool opened with another").isEqualTo(2);
      assertThat(serverConnectionsOf(url, TestPostgres.get().user())).as("first (shared) and otherUrl").isEqualTo(2);
    }
    assertThat(awaitCount(() -> serverConnections(url), n -> n == 0)).isZero();
  }

  @Test
  void aPoolNobodyUsesClosesAfterTheIdleTimeAndReopensOnUse() throws SQLException {
    String url = catalogDatabase("idle");
    Map<String, String> quickIdle = Map.of(PangolinConfig.POOL_IDLE_CLOSE_MS, "1000");
    int threadsBefore = pangolinThreads();
    List<PangolinCatalog> dropped = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      dropped.add(open(url, quickIdle));
    }
    dropped.get(0).createNamespace(NS);
    PangolinCatalog kept = dropped.get(4);
    dropped.clear();
    assertThat(serverConnections(url)).isPositive();

    assertThat(awaitCount(() -> serverConnections(url), n -> n == 0)).as("connections of an idle pool").isZero();
    assertThat(awaitCount(SharedPoolTest::pangolinThreads, n -> n <= threadsBefore + 1)).as("threads of an idle pool")
        .isLessThanOrEqualTo(threadsBefore + 1);

    assertThat(kept.listNamespaces()).as("an instance kept across the idle close").containsExactly(NS);
    assertThat(serverConnections(url)).isEqualTo(1);
    kept.close();
    assertThat(awaitCount(() -> serverConnections(url), n -> n == 0)).isZero();
  }

  @Test
  void anInstanceOnAnExistingPoolOpensNoConnectionAndChecksTheSchemaNoMore() throws SQLException {
    String url = catalogDatabase("existing");
    try (PangolinCatalog first = open(url, Map.of())) {
      first.listNamespaces();
      admin(url, "ALTER TABLE pangolin.schema_history RENAME TO schema_history_away");
      try (PangolinCatalog second = open(url, Map.of())) {
        second.listNamespaces();
        assertThat(serverConnections(url)).as("connections after a second instance opened").isEqualTo(1);
      }
      assertThatThrownBy(() -> open(url, Map.of(PangolinConfig.POOL_MAX_SIZE, "3")))
          .as("a pool of other settings checks the schema").hasMessageContaining("schema is at version none");
    } finally {
      admin(url, "ALTER TABLE pangolin.schema_history_away RENAME TO schema_history");
    }
  }

  @Test
  void anInstanceDroppedWithoutCloseReleasesItsPoolOnceCollected() {
    String url = catalogDatabase("collected");
    int threadsBefore = pangolinThreads();
    open(url, Map.of()).listNamespaces();
    assertThat(serverConnections(url)).isEqualTo(1);
    assertThat(awaitCount(() -> {
      System.gc();
      return serverConnections(url);
    }, n -> n == 0)).as("connections of a collected instance's pool").isZero();
    assertThat(awaitCount(SharedPoolTest::pangolinThreads, n -> n <= threadsBefore + 1))
        .as("Pangolin threads once the pool closed (the cleaner stays)").isLessThanOrEqualTo(threadsBefore + 1);
  }

  @Test
  void concurrentOpenUseAndCloseWhileThePoolClosesForIdleness() throws Exception {
    String url = catalogDatabase("concurrent");
    createNamespace(url);
    Map<String, String> quickIdle = Map.of(PangolinConfig.POOL_IDLE_CLOSE_MS, "20");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        results.add(threads.submit(() -> {
          int seen = 0;
          for (int i = 0; i < 15; i++) {
            try (PangolinCatalog catalog = open(url, quickIdle)) {
              seen += catalog.listNamespaces().size();
              Thread.sleep(i % 3 * 15L);
              seen += catalog.listNamespaces().size();
            }
          }
          return seen;
        }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get(5, TimeUnit.MINUTES)).isEqualTo(30);
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(awaitCount(() -> serverConnections(url), n -> n == 0)).isZero();
  }

  private static void createNamespace(String url) {
    try (PangolinCatalog catalog = open(url, Map.of())) {
      catalog.createNamespace(NS);
    }
  }

  private static String catalogDatabase(String bucket) {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    return url;
  }

  private static PangolinCatalog open(String url, Map<String, String> extra) {
    Map<String, String> props = TestCatalogs.properties(url, "acme", "main");
    props.putAll(extra);
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", props);
    return catalog;
  }

  /**
   * Pangolin's threads in this JVM: each open pool's Hikari threads, the idle check while a pool is open, and the
   * cleaner, which stays once the registry is loaded.
   */
  private static int pangolinThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("pangolin-"))
        .count();
  }

  private static int serverConnections(String url) {
    return serverConnectionsOf(url, null);
  }

  private static int serverConnectionsOf(String url, String user) {
    String sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name = 'pangolin-catalog'"
        + (user == null ? "" : " AND usename = ?");
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement stmt = conn.prepareStatement(sql)) {
      stmt.setString(1, url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", ""));
      if (user != null) {
        stmt.setString(2, user);
      }
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The count once it satisfies {@code done}, or its last value after 30 s: a closed session leaves
   * pg_stat_activity a moment after the client hangs up, and threads end a moment after their pool closes.
   */
  private static int awaitCount(IntSupplier count, IntPredicate done) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    int value = count.getAsInt();
    while (!done.test(value) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      value = count.getAsInt();
    }
    return value;
  }

  private static void admin(String url, String sql) throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement()) {
      stmt.execute(sql);
    }
  }
}
