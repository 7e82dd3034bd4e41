package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Concurrent writers on one table, each through its own catalog instance as separate engines would be. */
class CommitConcurrencyTest {

  private static final TableIdentifier TABLE = TableIdentifier.of("ns", "events");
  private static final int WRITERS = 4;
  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("concurrency-key", "concurrency-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void fourWritersAppendingTwentyFiveTimesEachLoseNothing() throws Exception {
    String url = setUp("plain");
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<PangolinCatalog> catalogs = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      catalogs.add(open(url, null));
    }
    runWriters(catalogs, 25, acknowledged, ConcurrentHashMap.newKeySet());

    try (PangolinCatalog reader = open(url, null)) {
      Table table = reader.loadTable(TABLE);
      assertThat(acknowledged).hasSize(100);
      assertThat(TestTables.currentFiles(table)).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(TestTables.additionsInChain(table).values()).allMatch(n -> n == 1);
    }
    catalogs.forEach(PangolinCatalog::close);
  }

  /**
   * The connection breaks around the pointer swap: sometimes before the statement reaches the server, sometimes
   * after the server applied it and before the answer came back. Every commit that returned success must be in
   * the table's current snapshot chain exactly once, while other writers keep committing on top.
   */
  @Test
  void lostAcknowledgementsNeitherDuplicateNorDropCommits() throws Exception {
    String url = setUp("faulty");
    List<FaultInjectingDataSource> faulty = new ArrayList<>();
    List<PangolinCatalog> catalogs = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      AtomicInteger swaps = new AtomicInteger();
      FaultInjectingDataSource ds = new FaultInjectingDataSource(TestCatalogs.dataSource(url),
          sql -> sql.contains("pangolin.swap_pointer("),
          sql -> {
            int n = swaps.incrementAndGet();
            return n % 4 == 0 ? Fault.AFTER_APPLY : n % 7 == 0 ? Fault.BEFORE_SEND : Fault.NONE;
          });
      faulty.add(ds);
      catalogs.add(open(url, ds));
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    Set<String> unknown = ConcurrentHashMap.newKeySet();
    runWriters(catalogs, 15, acknowledged, unknown);

    assertThat(faulty.stream().mapToInt(FaultInjectingDataSource::faultsAfterApply).sum()).isGreaterThan(4);
    assertThat(faulty.stream().mapToInt(FaultInjectingDataSource::faultsBeforeSend).sum()).isGreaterThan(0);
    assertThat(unknown).as("outcomes the catalog could not settle").isEmpty();
    try (PangolinCatalog reader = open(url, null)) {
      Table table = reader.loadTable(TABLE);
      assertThat(acknowledged).hasSize(WRITERS * 15);
      assertThat(TestTables.currentFiles(table)).containsExactlyInAnyOrderElementsOf(acknowledged);
      Map<String, Integer> additions = TestTables.additionsInChain(table);
      assertThat(additions.keySet()).containsExactlyInAnyOrderElementsOf(acknowledged);
      assertThat(additions.values()).as("each file added by exactly one snapshot").allMatch(n -> n == 1);
    }
    catalogs.forEach(PangolinCatalog::close);
  }

  private static void runWriters(List<PangolinCatalog> catalogs, int appendsEach, Set<String> acknowledged,
      Set<String> unknown) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(catalogs.size());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int w = 0; w < catalogs.size(); w++) {
        PangolinCatalog catalog = catalogs.get(w);
        String writer = "w" + w;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < appendsEach; i++) {
            Table table = catalog.loadTable(TABLE);
            DataFile file = TestTables.dataFile(table, writer + "-" + i);
            try {
              table.newAppend().appendFile(file).commit();
              acknowledged.add(file.location());
            } catch (CommitStateUnknownException e) {
              unknown.add(file.location());
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String setUp(String bucket) {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    try (PangolinCatalog catalog = open(url, null)) {
      catalog.createNamespace(Namespace.of("ns"));
      catalog.buildTable(TABLE, TestTables.SCHEMA)
          .withProperty(TableProperties.COMMIT_NUM_RETRIES, "100")
          .withProperty(TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "5")
          .withProperty(TableProperties.COMMIT_MAX_RETRY_WAIT_MS, "100")
          .create();
    }
    return url;
  }

  private static PangolinCatalog open(String url, FaultInjectingDataSource underlying) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"), underlying);
    return catalog;
  }
}
