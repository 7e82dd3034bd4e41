package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Consistent reads ({@code pangolin.consistent-reads}): a thread's burst of loads sees a merge into main entirely
 * or not at all, the next query of a loop sees what is current, the thread's own writes end its snapshot, and an
 * idle burst gives its connection back.
 */
class ConsistentReadsTest {

  private static final String BUCKET = "consistent";
  private static final Namespace NS = Namespace.of("sales");
  private static final List<TableIdentifier> TABLES = List.of(
      TableIdentifier.of(NS, "orders"), TableIdentifier.of(NS, "customers"), TableIdentifier.of(NS, "items"));

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("consistent-key", "consistent-secret", BUCKET);

  private String url;
  private PangolinAdmin admin;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    try (PangolinCatalog main = RefCatalogs.open(url, "main")) {
      main.createNamespace(NS);
      TABLES.forEach(id -> main.createTable(id, TestTables.SCHEMA, org.apache.iceberg.PartitionSpec.unpartitioned(),
          Map.of("gen", "0")));
    }
    admin.createBranch("acme", "main", "dev", null);
  }

  /** Catalog main on main, as an engine would open it, with consistent reads on or off. */
  private PangolinCatalog reader(boolean consistent, long gapMs) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put(PangolinConfig.CONSISTENT_READS, Boolean.toString(consistent));
    props.put(PangolinConfig.CONSISTENT_READS_GAP_MS, Long.toString(gapMs));
    props.put(PangolinConfig.CONSISTENT_READS_MAX_MS, Long.toString(Math.max(gapMs, 10_000)));
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(consistent ? "lake_consistent" : "lake", props);
    return catalog;
  }

  /** Sets property gen on every table on dev, then merges dev into main: one publish of all three. */
  private void publish(int gen) {
    try (PangolinCatalog dev = RefCatalogs.open(url, "dev")) {
      TABLES.forEach(id -> dev.loadTable(id).updateProperties().set("gen", Integer.toString(gen)).commit());
    }
    admin.merge("acme", "main", "dev", "main");
  }

  private static List<String> gens(PangolinCatalog catalog) {
    return TABLES.stream().map(id -> catalog.loadTable(id).properties().get("gen")).toList();
  }

  /** As {@link #gens}, pausing between loads like an engine planning a query: a merge lands between them often. */
  private static List<String> gensSlowly(PangolinCatalog catalog) throws InterruptedException {
    List<String> gens = new ArrayList<>();
    for (TableIdentifier id : TABLES) {
      gens.add(catalog.loadTable(id).properties().get("gen"));
      Thread.sleep(10);
    }
    return gens;
  }

  @Test
  void aBurstOfLoadsSeesAMergeEntirelyOrNotAtAll() {
    try (PangolinCatalog consistent = reader(true, 60_000); PangolinCatalog plain = reader(false, 60_000)) {
      assertThat(consistent.loadTable(TABLES.get(0)).properties()).containsEntry("gen", "0");
      assertThat(plain.loadTable(TABLES.get(0)).properties()).containsEntry("gen", "0");
      publish(1);
      List<String> rest = new ArrayList<>();
      List<String> restPlain = new ArrayList<>();
      for (TableIdentifier id : TABLES.subList(1, 3)) {
        rest.add(consistent.loadTable(id).properties().get("gen"));
        restPlain.add(plain.loadTable(id).properties().get("gen"));
      }
      assertThat(rest).as("the burst began before the merge, so it sees none of it").containsExactly("0", "0");
      assertThat(restPlain).as("without consistent reads the same loads mix both sides").containsExactly("1", "1");
      // Loading orders again is the next query: a new burst, which sees all of the merge.
      assertThat(gens(consistent)).containsExactly("1", "1", "1");
    }
  }

  @Test
  void aReaderLoopingDuringMergesNeverSeesAMix() throws Exception {
    int merges = 8;
    List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread loop = new Thread(() -> {
      try (PangolinCatalog consistent = reader(true, PangolinConfig.CONSISTENT_READS_GAP_MS_DEFAULT)) {
        boolean last = false;
        while (!last) {
          last = done.get();
          seen.add(gensSlowly(consistent));
        }
      } catch (Throwable e) {
        failed.set(e);
      }
    });
    loop.start();
    for (int gen = 1; gen <= merges; gen++) {
      publish(gen);
    }
    done.set(true);
    loop.join(TimeUnit.MINUTES.toMillis(2));
    assertThat(failed.get()).isNull();
    long mixed = seen.stream().filter(gens -> gens.stream().distinct().count() > 1).count();
    System.out.printf("consistent reader ran %d queries during %d merges; %d saw a mix%n", seen.size(), merges, mixed);
    assertThat(seen).allSatisfy(gens -> assertThat(gens).as("one query's tables").containsOnly(gens.get(0)));
    assertThat(seen.get(seen.size() - 1)).containsOnly(Integer.toString(merges));
    List<Integer> order = seen.stream().map(gens -> Integer.parseInt(gens.get(0))).toList();
    assertThat(order).as("a reader never goes back to an older merge").isSorted();
  }

  @Test
  void theThreadsOwnCommitEndsItsSnapshotAndRetriesAgainstTheCurrentPointer() {
    try (PangolinCatalog consistent = reader(true, 60_000); PangolinCatalog writer = RefCatalogs.open(url, "main")) {
      Table orders = consistent.loadTable(TABLES.get(0));
      writer.loadTable(TABLES.get(0)).updateProperties().set("writer", "yes").commit();
      writer.loadTable(TABLES.get(1)).updateProperties().set("gen", "9").commit();
      assertThat(consistent.loadTable(TABLES.get(1)).properties()).as("still the burst's snapshot")
          .containsEntry("gen", "0");
      // The base is stale: the swap misses, Iceberg refreshes and retries, and the retry must see the writer's commit.
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "reader")).commit();
      Table reloaded = writer.loadTable(TABLES.get(0));
      assertThat(reloaded.properties()).containsEntry("writer", "yes");
      assertThat(reloaded.currentSnapshot()).isNotNull();
      assertThat(consistent.loadTable(TABLES.get(1)).properties()).as("the commit ended the burst")
          .containsEntry("gen", "9");
    }
  }

  @Test
  void anIdleBurstGivesItsConnectionBackAndClosingEndsEveryBurst() throws Exception {
    try (PangolinCatalog consistent = reader(true, 200)) {
      consistent.loadTable(TABLES.get(0));
      assertThat(openSnapshots()).isEqualTo(1);
      awaitNoOpenSnapshot();
      publish(1);
      assertThat(consistent.loadTable(TABLES.get(1)).properties()).as("a new burst after the gap")
          .containsEntry("gen", "1");
    }
    assertThat(openSnapshots()).as("close rolled back the burst").isZero();
    try (PangolinCatalog consistent = reader(true, 60_000)) {
      consistent.loadTable(TABLES.get(0));
      assertThat(openSnapshots()).isEqualTo(1);
    }
    assertThat(openSnapshots()).as("close rolled back the burst").isZero();
  }

  @Test
  void aBurstWhoseSessionTheServerEndedReadsInANewOne() throws Exception {
    try (PangolinCatalog consistent = reader(true, 60_000)) {
      consistent.loadTable(TABLES.get(0));
      publish(1);
      try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
          ResultSet rs = stmt.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
              + " WHERE datname = current_database() AND state = 'idle in transaction'")) {
        assertThat(rs.next()).as("the burst's session").isTrue();
      }
      assertThat(consistent.loadTable(TABLES.get(1)).properties()).as("read in a new burst")
          .containsEntry("gen", "1");
      assertThat(openSnapshots()).isEqualTo(1);
    }
  }

  @Test
  void refreshTableEndsTheSnapshot() {
    try (PangolinCatalog consistent = reader(true, 60_000)) {
      consistent.loadTable(TABLES.get(0));
      publish(1);
      consistent.invalidateTable(TABLES.get(1));
      assertThat(consistent.loadTable(TABLES.get(1)).properties()).containsEntry("gen", "1");
    }
  }

  /** Sessions of this test's database holding a read-only transaction open: the consistent reader's bursts. */
  private int openSnapshots() throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND state = 'idle in transaction'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void awaitNoOpenSnapshot() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (openSnapshots() > 0) {
      assertThat(System.nanoTime()).as("the idle burst was never ended").isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
