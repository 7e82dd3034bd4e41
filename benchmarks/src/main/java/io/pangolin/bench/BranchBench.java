package io.pangolin.bench;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.pool.ReadSnapshots;
import io.pangolin.metastore.refs.Ref;
import io.pangolin.metastore.refs.RefStore;
import io.pangolin.metastore.relations.RelationKind;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.metastore.relations.SwapResult;
import io.pangolin.testing.TestCatalogs;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntConsumer;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What branches cost on a catalog of many tables: creating a branch, a pointer load on main and on branches of
 * depth 1 and 3, a query's loads with consistent reads, and a commit on main as the number of branches that must
 * be pinned grows. Prints figures only.
 *
 * <pre>
 * java -cp benchmarks/target/pangolin-benchmarks.jar io.pangolin.bench.BranchBench [tables=10000]
 * </pre>
 */
public final class BranchBench {

  private static final String ROOT = "s3://branch-bench/warehouse";

  private BranchBench() {}

  public static void main(String[] args) throws SQLException {
    int tables = args.length > 0 ? Integer.parseInt(args[0].replace("tables=", "")) : 10_000;
    try (Servers servers = Servers.start()) {
      String url = TestCatalogs.migratedDatabase();
      TestCatalogs.s3Catalog(url, "acme", "lake", "main", servers.s3(), "branch-bench", List.of());
      fill(url, tables);
      try (HikariDataSource pool = pool(url)) {
        run(pool, url, tables);
      }
    }
    System.exit(0);
  }

  private static HikariDataSource pool(String url) {
    return pool(url, 2);
  }

  private static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(TestCatalogs.dataSource(url));
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  private static void run(HikariDataSource pool, String url, int tables) throws SQLException {
    {
      PangolinAdmin admin = new PangolinAdmin(pool, Optional.empty());
      Database db = Database.of(pool);
      CatalogBinding binding = CatalogBinding.load(db, "acme", "main");
      RelationStore main = new RelationStore(db, binding);

      System.out.printf("# Branches on a catalog of %,d tables (pooled connections)%n%n", tables);
      double[] plain = time(300, i -> swap(main, id(tables - 1 - i), i));
      System.out.printf("- commit on main (load + swap), no branches: median %.3f ms%n", median(plain));
      double[] create = time(20, i -> admin.createBranch("acme", "main", "b" + i, null));
      System.out.printf("- branch create: median %.2f ms, max %.2f ms (20 branches); refs rows %d, ref_relations"
          + " rows %d%n", median(create), max(create), count(url, "SELECT count(*) FROM pangolin.refs"),
          count(url, "SELECT count(*) FROM pangolin.ref_relations"));
      admin.createBranch("acme", "main", "d2", "b0");
      admin.createBranch("acme", "main", "d3", "d2");

      RefStore refs = new RefStore(db, binding);
      for (String ref : List.of("main", "b0", "d3")) {
        RelationStore store = new RelationStore(db, binding, refs.resolve(ref));
        time(200, i -> store.loadPointer(id(i)));
        double[] loads = time(2000, i -> store.loadPointer(id(i % tables)));
        System.out.printf("- pointer load on %s (depth %d): median %.3f ms, p99 %.3f ms%n", ref,
            ref.equals("main") ? 0 : ref.equals("b0") ? 1 : 3, median(loads), percentile(loads, 0.99));
      }

      consistentReads(db, binding, refs);
      try (HikariDataSource four = pool(url, 4)) {
        Database shared = Database.of(four);
        consistentReadsUnderLoad(shared, CatalogBinding.load(shared, "acme", "main"), 8);
      }

      double[] commits = time(500, i -> swap(main, id(i), i));
      System.out.printf("- commit on main (load + swap), first change of each table since 22 branches forked (pins 20 rows):"
          + " median %.3f ms%n", median(commits));
      double[] again = time(500, i -> swap(main, id(i), i + 1_000_000));
      System.out.printf("- commit on main (load + swap), tables already pinned: median %.3f ms%n", median(again));
    }
  }

  /**
   * A query of three tables in a loop, each query loading the same three pointers on main, without and with
   * consistent reads (each query is then one burst: the repeated first table begins the next one).
   */
  private static void consistentReads(Database db, CatalogBinding binding, RefStore refs) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    ReadSnapshots bursts = ReadSnapshots.on(db, timer, 1_000, 10_000);
    try {
      RelationStore plain = new RelationStore(db, binding, refs.resolve("main"));
      RelationStore consistent = new RelationStore(db, binding, refs.resolve("main"), bursts);
      IntConsumer plainQuery = i -> query(plain);
      IntConsumer consistentQuery = i -> query(consistent);
      time(200, plainQuery);
      time(200, consistentQuery);
      double[] without = time(2000, plainQuery);
      double[] with = time(2000, consistentQuery);
      System.out.printf("- a query loading 3 pointers on main, in a loop: median %.3f ms (3 round trips); with"
          + " consistent reads %.3f ms (4 round trips: one burst per query, rolled back on the timer thread)%n",
          median(without), median(with));
    } finally {
      bursts.close();
      timer.shutdown();
    }
  }

  /**
   * More reading threads than pooled connections (Pangolin's default pool of 4), each running the 3-load query in a
   * loop for 3 seconds: what holding a connection per burst costs when connections are short.
   */
  private static void consistentReadsUnderLoad(Database db, CatalogBinding binding, int threads) {
    for (boolean consistent : new boolean[] {false, true}) {
      ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
      ReadSnapshots reads = consistent ? ReadSnapshots.on(db, timer, 1_000, 10_000) : ReadSnapshots.off(db);
      RelationStore store = new RelationStore(db, binding, Ref.MAIN, reads);
      List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
      long until = System.nanoTime() + 3_000_000_000L;
      List<Thread> running = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread reader = new Thread(() -> {
          while (System.nanoTime() < until) {
            long start = System.nanoTime();
            query(store);
            latencies.add((System.nanoTime() - start) / 1e6);
          }
        });
        reader.start();
        running.add(reader);
      }
      running.forEach(BranchBench::join);
      reads.close();
      timer.shutdown();
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf("- %d threads on a pool of 4, 3-load queries for 3 s%s: %.0f queries/s, median %.3f ms,"
          + " p95 %.3f ms%n", threads, consistent ? ", with consistent reads" : "", sorted.length / 3.0,
          median(sorted), percentile(sorted, 0.95));
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void query(RelationStore store) {
    for (int t = 0; t < 3; t++) {
      store.loadPointer(id(t)).orElseThrow();
    }
  }

  private static void swap(RelationStore store, TableIdentifier id, int generation) {
    String expected = store.loadPointer(id).orElseThrow().metadataLocation();
    SwapResult result = store.swap(id, RelationKind.TABLE, expected, ROOT + "/t/" + generation + ".metadata.json");
    if (result.outcome() != SwapResult.Outcome.SWAPPED) {
      throw new IllegalStateException("swap " + id + ": " + result.outcome());
    }
  }

  private static TableIdentifier id(int i) {
    return TableIdentifier.of("bench", "t" + i);
  }

  private static void fill(String url, int tables) throws SQLException {
    try (Connection conn = Servers.admin(url); Statement stmt = conn.createStatement()) {
      stmt.execute("INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{bench}' FROM pangolin.catalogs");
      stmt.execute("INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)"
          + " SELECT n.id, 't' || g, 'TABLE', '" + ROOT + "/t' || g || '/00000.metadata.json'"
          + " FROM pangolin.namespaces n, generate_series(0, " + (tables - 1) + ") g");
      stmt.execute("ANALYZE");
    }
  }

  private static long count(String url, String sql) throws SQLException {
    try (Connection conn = Servers.admin(url); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static double[] time(int n, IntConsumer op) {
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      op.accept(i);
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(ms);
    return ms;
  }

  private static double median(double[] sorted) {
    return percentile(sorted, 0.5);
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static double max(double[] sorted) {
    return sorted[sorted.length - 1];
  }
}
