package io.pangolin.bench;

import io.pangolin.bench.catalogs.CatalogAdapter;
import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.catalogs.JdbcCatalogAdapter;
import io.pangolin.bench.catalogs.PangolinAdapter;
import io.pangolin.bench.report.Metric;
import io.pangolin.bench.report.Results;
import io.pangolin.bench.report.Samples;
import io.pangolin.bench.report.WriterRound;
import io.pangolin.testing.TestTables;
import io.pangolin.catalog.PangolinCatalog;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.IcebergBuild;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The measurements, in the order they run. Both catalogs get the same set-up, and every timed section alternates
 * between them per iteration ({@link Rotation}). The catalog database grows as the run goes on (100 tables for
 * the first loads, then the created tables, the listing namespace, and the fill-up to the large size), which is
 * why each metric compares the two catalogs at the same point of the run rather than across points.
 */
public final class Harness {

  private static final Namespace BENCH = Namespace.of("bench");
  private static final Namespace FILL = Namespace.of("fill");
  private static final Namespace WIDE = Namespace.of("wide");
  private static final TableIdentifier TEMPLATE = TableIdentifier.of(BENCH, "template");
  private static final TableIdentifier LOAD_TARGET = TableIdentifier.of(BENCH, "load_target");
  private static final TableIdentifier APPEND_TARGET = TableIdentifier.of(BENCH, "append_target");
  /** Snapshot counts of the tables whose cached metadata is weighed; the same in every profile. */
  private static final int[] CACHE_HISTORY = {300, 3_000};

  /** One catalog under test and its long-lived instance. */
  private record Side(CatalogAdapter adapter, CatalogHandle catalog) {
    String name() {
      return adapter.label();
    }
  }

  private final BenchConfig config;
  private final PrintStream progress;

  public Harness(BenchConfig config, PrintStream progress) {
    this.config = config;
    this.progress = progress;
  }

  public Results run() {
    long started = System.nanoTime();
    Results results = new Results(config);
    step("starting embedded PostgreSQL and S3Proxy");
    try (Servers servers = Servers.start();
        PangolinAdapter pangolin = new PangolinAdapter(servers);
        JdbcCatalogAdapter jdbc = new JdbcCatalogAdapter(servers);
        Floor floor = new Floor(servers)) {
      results.note("Servers", servers.postgresDescription(pangolin.databaseUrl())
          + ", embedded, one server with one database per catalog; S3Proxy 2.6.0, in-memory, checking signatures;"
          + " both on 127.0.0.1, started once for the whole run");
      results.note("Iceberg", IcebergBuild.fullVersion());
      results.note("Pangolin under test", codeSource(PangolinCatalog.class));
      List<Side> sides = new ArrayList<>();
      try {
        // The first instance of JdbcCatalog creates its tables; keep that out of the init measurement.
        sides.add(new Side(pangolin, pangolin.open(Map.of())));
        sides.add(new Side(jdbc, jdbc.open(Map.of())));
        measureInitClose(results, sides, pangolin);
        setUp(results, sides);
        measureLoad(results, Metric.LOAD_SMALL, sides);
        measureCreateTable(results, sides);
        measureAppendAndFloor(results, sides, floor);
        measureLoadUnchanged(results, sides, pangolin);
        measureCacheMemory(results, pangolin, sides.get(0));
        measureListTables(results, sides);
        fillTo(results, config.largeCatalog(), "large", sides);
        measureLoad(results, Metric.LOAD_LARGE, sides);
        new AccessControlBench(config, pangolin, sides.get(0).catalog(), WIDE, this::step).run(results);
        measureConcurrentWriters(results, sides);
      } finally {
        sides.forEach(s -> s.catalog().close());
      }
    }
    results.totalSeconds((System.nanoTime() - started) / 1e9);
    return results;
  }

  /**
   * Opening and closing a catalog while the long-lived instance keeps the JVM's pool open, and opening the first
   * one in a JVM, which opens the pool. Every JdbcCatalog instance opens a pool of its own, so the same
   * JdbcCatalog samples are the baseline for both rows.
   */
  private void measureInitClose(Results results, List<Side> sides, PangolinAdapter pangolin) {
    step("initialize + close, " + config.initIterations() + " iterations");
    List<Rotation.Entry> entries = new ArrayList<>();
    for (Side s : sides) {
      entries.add(entry(s, i -> s.adapter().open(Map.of()).close()));
    }
    entries.add(new Rotation.Entry("new pool", pangolin::counts, i -> pangolin.openOnNewPool(Map.of()).close()));
    Map<String, Samples> samples = Rotation.run(config.warmup(), config.initIterations(), entries);
    recordWithVariant(results, samples, Metric.INIT_CLOSE, Metric.INIT_CLOSE_NEW_POOL, "new pool");
  }

  private void setUp(Results results, List<Side> sides) {
    step("creating namespaces, tables and " + config.smallCatalog() + " table pointers");
    for (Side s : sides) {
      for (Namespace ns : List.of(BENCH, FILL, WIDE)) {
        s.catalog().namespaces().createNamespace(ns, Map.of());
      }
      for (TableIdentifier id : List.of(TEMPLATE, LOAD_TARGET, APPEND_TARGET)) {
        s.catalog().tables().createTable(id, TestTables.SCHEMA);
      }
    }
    fillTo(results, config.smallCatalog(), "small", sides);
  }

  /**
   * Brings each catalog to {@code size} tables by inserting pointers with SQL into namespace "fill", all to the
   * template table's real metadata file. Creating them through the catalog would take minutes and measure
   * nothing of interest.
   */
  private void fillTo(Results results, int size, String tag, List<Side> sides) {
    StringBuilder actual = new StringBuilder();
    for (Side s : sides) {
      long missing = size - s.adapter().tableCount();
      if (missing > 0) {
        String template = Tables.metadataLocation(s.catalog().tables().loadTable(TEMPLATE));
        s.adapter().bulkInsertTables(FILL, tag + "_", (int) missing, template);
      }
      s.adapter().refreshStatistics();
      actual.append(actual.length() == 0 ? "" : ", ").append(s.name()).append(" ")
          .append(String.format("%,d", s.adapter().tableCount()));
    }
    results.note("Tables in catalog for the " + String.format("%,d", size) + "-table load", actual
        + " (up to that size inserted with one SQL INSERT ... generate_series into each catalog's pointer table,"
        + " all pointing at one real metadata.json)");
  }

  private void measureLoad(Results results, Metric metric, List<Side> sides) {
    step(metric.label(config) + ", " + config.loadIterations() + " iterations");
    List<Rotation.Entry> entries = sides.stream()
        .map(s -> entry(s, i -> s.catalog().tables().loadTable(LOAD_TARGET)))
        .toList();
    record(results, metric, Rotation.run(config.warmup(), config.loadIterations(), entries));
  }

  private void measureCreateTable(Results results, List<Side> sides) {
    step("createTable, " + config.createIterations() + " iterations");
    List<Rotation.Entry> entries = sides.stream()
        .map(s -> entry(s, i -> s.catalog().tables().createTable(TableIdentifier.of(BENCH, "created_" + i),
            TestTables.SCHEMA)))
        .toList();
    record(results, Metric.CREATE_TABLE, Rotation.run(config.warmup(), config.createIterations(), entries));
  }

  /**
   * Commits, the two floors and the in-memory reference share one rotation, so all are measured under the same
   * conditions and the reference table grows snapshot by snapshot with the catalogs' tables.
   */
  private void measureAppendAndFloor(Results results, List<Side> sides, Floor floor) {
    step("append commits, floor and in-memory reference, " + config.appendIterations() + " iterations");
    try (InMemoryReference reference = new InMemoryReference()) {
      List<Rotation.Entry> entries = new ArrayList<>();
      for (Side s : sides) {
        Table table = s.catalog().tables().loadTable(APPEND_TARGET);
        entries.add(entry(s, i -> table.newFastAppend().appendFile(Tables.fakeDataFile(table, "a" + i)).commit()));
      }
      entries.add(new Rotation.Entry("put", floor::counts, floor::put));
      entries.add(new Rotation.Entry("cas", floor::counts, i -> floor.compareAndSwap()));
      entries.add(new Rotation.Entry("memory", floor::counts, reference::append));
      Map<String, Samples> samples = Rotation.run(config.warmup(), config.appendIterations(), entries);
      results.put(Metric.APPEND, Results.PANGOLIN, samples.get(Results.PANGOLIN));
      results.put(Metric.APPEND, Results.JDBC, samples.get(Results.JDBC));
      results.put(Metric.FLOOR_PUT, Results.BASELINE, samples.get("put"));
      results.put(Metric.FLOOR_CAS, Results.BASELINE, samples.get("cas"));
      results.put(Metric.REFERENCE_IN_MEMORY, Results.BASELINE, samples.get("memory"));
    }
    StringBuilder sizes = new StringBuilder();
    for (Side s : sides) {
      Table table = s.catalog().tables().loadTable(APPEND_TARGET);
      long bytes = table.io().newInputFile(Tables.metadataLocation(table)).getLength();
      sizes.append(sizes.length() == 0 ? "" : ", ").append(s.name()).append(" ")
          .append(String.format("%,d KiB", bytes / 1024));
    }
    results.note("Append target after the appends", (config.warmup() + config.appendIterations())
        + " snapshots, one manifest each (fast appends do not merge manifests); current metadata.json " + sizes);
  }

  /**
   * Loads of the table the appends went to, which no longer changes. Pangolin runs twice, as configured by
   * default and with its metadata cache off; JdbcCatalog has no such cache, so the same JdbcCatalog samples
   * are the baseline for both rows.
   */
  private void measureLoadUnchanged(Results results, List<Side> sides, PangolinAdapter pangolin) {
    step("loadTable of an unchanged table, " + config.loadIterations() + " iterations");
    try (CatalogHandle uncached = pangolin.open(Map.of("pangolin.metadata-cache.size", "0"))) {
      List<Rotation.Entry> entries = new ArrayList<>();
      for (Side s : sides) {
        entries.add(entry(s, i -> s.catalog().tables().loadTable(APPEND_TARGET)));
      }
      entries.add(new Rotation.Entry("uncached", pangolin::counts, i -> uncached.tables().loadTable(APPEND_TARGET)));
      Map<String, Samples> samples = Rotation.run(config.warmup(), config.loadIterations(), entries);
      recordWithVariant(results, samples, Metric.LOAD_UNCHANGED, Metric.LOAD_UNCHANGED_NO_CACHE, "uncached");
    }
  }

  private void measureCacheMemory(Results results, PangolinAdapter pangolin, Side side) {
    for (int snapshots : CACHE_HISTORY) {
      step("metadata cache memory, one table of " + snapshots + " snapshots");
      results.addCacheMemory(CacheFootprint.measure(pangolin, side.catalog().tables(),
          TableIdentifier.of(BENCH, "history_" + snapshots), snapshots));
    }
  }

  /** Both catalogs' samples as {@code metric}; Pangolin's {@code variant} samples against the same JdbcCatalog's. */
  private static void recordWithVariant(Results results, Map<String, Samples> samples, Metric metric,
      Metric variantMetric, String variant) {
    results.put(metric, Results.PANGOLIN, samples.get(Results.PANGOLIN));
    results.put(metric, Results.JDBC, samples.get(Results.JDBC));
    results.put(variantMetric, Results.PANGOLIN, samples.get(variant));
    results.put(variantMetric, Results.JDBC, samples.get(Results.JDBC));
  }

  private void measureListTables(Results results, List<Side> sides) {
    step("listTables over " + config.listTables() + " tables, " + config.listIterations() + " iterations");
    for (Side s : sides) {
      String template = Tables.metadataLocation(s.catalog().tables().loadTable(TEMPLATE));
      s.adapter().bulkInsertTables(WIDE, "t_", config.listTables(), template);
      s.adapter().refreshStatistics();
    }
    results.note("listTables namespace", String.format("%,d", config.listTables()) + " table pointers per catalog,"
        + " inserted with one SQL statement into " + sides.stream()
            .map(s -> s.name() + "'s " + s.adapter().pointerTable()).toList()
        + ", all pointing at one real metadata.json");
    List<Rotation.Entry> entries = sides.stream()
        .map(s -> entry(s, i -> {
          int listed = s.catalog().tables().listTables(WIDE).size();
          if (listed != config.listTables()) {
            throw new IllegalStateException(s.name() + " listed " + listed + " tables, expected " + config.listTables());
          }
        }))
        .toList();
    record(results, Metric.LIST_TABLES, Rotation.run(config.warmup(), config.listIterations(), entries));
  }

  /** Rounds alternate which catalog goes first; each round uses a new table. */
  private void measureConcurrentWriters(Results results, List<Side> sides) {
    Samples[] latencies = {new Samples(), new Samples()};
    for (int round = 0; round < config.writerRounds(); round++) {
      for (int k = 0; k < sides.size(); k++) {
        int index = (round + k) % sides.size();
        Side s = sides.get(index);
        step(config.writers() + " writers x " + config.commitsPerWriter() + " commits, " + s.name()
            + ", round " + (round + 1) + " of " + config.writerRounds());
        WriterRound r = ConcurrentWriters.run(s.adapter(), TableIdentifier.of(BENCH, "contended_" + round),
            config.writers(), config.commitsPerWriter());
        results.addWriterRound(r);
        latencies[index].addAll(r.commits());
      }
    }
    for (int i = 0; i < sides.size(); i++) {
      results.put(Metric.CONCURRENT_COMMIT, sides.get(i).name(), latencies[i]);
    }
    results.note("Concurrent writers", config.writers() + " writers per round, each through its own catalog"
        + " instance, fast appends to one new table per round; commit.retry.num-retries=" + ConcurrentWriters.RETRIES
        + ", Iceberg's default back-off (100 ms doubling); lost = acknowledged but absent from the final snapshot"
        + " chain, duplicated = added twice");
  }

  /**
   * Which build of a class ran: the plugin changes quickly, so the report names the jar (or classes directory)
   * and when it was built.
   */
  private static String codeSource(Class<?> type) {
    try {
      Path path = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return path + ", built " + Files.getLastModifiedTime(path).toInstant().truncatedTo(ChronoUnit.SECONDS);
    } catch (Exception e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static Rotation.Entry entry(Side s, Rotation.Op op) {
    return new Rotation.Entry(s.name(), s.adapter()::counts, op);
  }

  private static void record(Results results, Metric metric, Map<String, Samples> samples) {
    samples.forEach((name, s) -> results.put(metric, name, s));
  }

  private void step(String what) {
    progress.printf("[bench %tT] %s%n", System.currentTimeMillis(), what);
    progress.flush();
  }
}
