package io.pangolin.bench.rest;

import io.pangolin.bench.Rotation;
import io.pangolin.bench.Servers;
import io.pangolin.bench.Tables;
import io.pangolin.bench.catalogs.CatalogAdapter;
import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.catalogs.JdbcCatalogAdapter;
import io.pangolin.bench.catalogs.PangolinAdapter;
import io.pangolin.bench.count.S3RequestCounter;
import io.pangolin.bench.report.MachineInfo;
import io.pangolin.bench.report.Samples;
import io.pangolin.testing.TestTables;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * pangolin serve beside the plugin and Iceberg's REST reference server: loadTable, a commit, listTables and a sign
 * request, each row timed for a few seconds per column on loopback with the columns alternating round by round.
 * Prints a Markdown table (requests per second of one client, median and p95 latency, and the S3 requests every
 * client and server in the JVM sent per operation) and writes it to {@code rest-endpoint.md} in the output directory.
 * Asserts nothing about timings.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -cp benchmarks/target/pangolin-benchmarks.jar io.pangolin.bench.rest.RestEndpointBenchmark [--profile=smoke]
 * </pre>
 */
public final class RestEndpointBenchmark {

  static final String REPORT = "rest-endpoint.md";
  private static final Namespace NS = Namespace.of("rest_bench");
  private static final Namespace LISTED = Namespace.of("rest_bench_listed");
  private static final TableIdentifier LOADED = TableIdentifier.of(NS, "loaded");

  private RestEndpointBenchmark() {}

  public static void main(String[] args) throws Exception {
    // The plugin's test jar on the classpath brings a logback-test.xml, which logback would prefer to ours.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "bench-logback.xml");
    }
    run(RestBenchConfig.from(args), ("java -cp benchmarks/target/pangolin-benchmarks.jar "
        + RestEndpointBenchmark.class.getName() + " " + String.join(" ", args)).strip());
    // Non-daemon threads of the S3 clients and the embedded server's shutdown hook should not hold the JVM.
    System.exit(0);
  }

  /** Runs with {@code config}, prints the report and writes it; returns its path. */
  public static Path run(RestBenchConfig config, String command) throws Exception {
    long started = System.nanoTime();
    String load = loadAverage();
    Consumer<String> step = s -> System.err.println("[rest-bench] " + s);
    List<RowResult> rows;
    try (Servers servers = Servers.start()) {
      rows = measure(config, servers, step);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    String markdown = new RestReport(config, MachineInfo.detect(), command, load, seconds, rows).markdown();
    Files.createDirectories(config.out());
    Path report = config.out().resolve(REPORT);
    Files.writeString(report, markdown, StandardCharsets.UTF_8);
    System.out.print(markdown);
    System.out.flush();
    step.accept("wrote " + report.toAbsolutePath());
    return report;
  }

  /** The machine's 1-, 5- and 15-minute load averages: how busy the shared machine was when the run began. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return String.join(", ", fields[0], fields[1], fields[2]) + " (1, 5, 15 min) at the start";
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static List<RowResult> measure(RestBenchConfig config, Servers servers, Consumer<String> step)
      throws Exception {
    PangolinAdapter pangolin = new PangolinAdapter(servers);
    JdbcCatalogAdapter jdbc = new JdbcCatalogAdapter(servers);
    step.accept("set-up: a table of one snapshot, one table per column to commit to, " + config.tables()
        + " tables listed");
    String loadedMetadata = fill(pangolin, config, List.of(Column.PLUGIN, Column.SERVE));
    fill(jdbc, config, List.of(Column.REFERENCE));
    URI signedObject = URI.create(servers.s3().endpoint() + "/" + loadedMetadata.substring("s3://".length()));
    try (CatalogHandle backend = jdbc.open(Map.of());
        ServedPangolin served = ServedPangolin.start(pangolin);
        Contestants contestants = Contestants.open(served, backend.tables(), LOADED, signedObject, step)) {
      List<RowResult> rows = new ArrayList<>();
      rows.add(row(config, Operation.LOAD, contestants, step, (column, catalog) -> i -> catalog.loadTable(LOADED)));
      rows.add(row(config, Operation.COMMIT, contestants, step, (column, catalog) -> {
        Table table = catalog.loadTable(committed(column));
        return i -> table.updateProperties().set("bench.round", Integer.toString(i)).commit();
      }));
      rows.add(row(config, Operation.LIST, contestants, step, (column, catalog) -> i -> {
        int seen = catalog.listTables(LISTED).size();
        if (seen != config.tables()) {
          throw new IllegalStateException(column.label() + " listed " + seen + " tables, not " + config.tables());
        }
      }));
      rows.add(signRow(config, contestants, step));
      return rows;
    }
  }

  /**
   * Creates the benchmark's namespaces and tables through the catalog (as the superuser) and its listed tables with
   * one INSERT; returns the metadata file of the loaded table, which the listed tables' pointers share.
   */
  private static String fill(CatalogAdapter adapter, RestBenchConfig config, List<Column> committers) {
    try (CatalogHandle admin = adapter.open(Map.of())) {
      admin.namespaces().createNamespace(NS, Map.of());
      admin.namespaces().createNamespace(LISTED, Map.of());
      Table loaded = admin.tables().createTable(LOADED, TestTables.SCHEMA);
      loaded.newFastAppend().appendFile(Tables.fakeDataFile(loaded, "rest")).commit();
      committers.forEach(column -> admin.tables().createTable(committed(column), TestTables.SCHEMA));
      String metadata = Tables.metadataLocation(loaded);
      adapter.bulkInsertTables(LISTED, "t", config.tables(), metadata);
      adapter.refreshStatistics();
      return metadata;
    }
  }

  private static TableIdentifier committed(Column column) {
    return TableIdentifier.of(NS, "committed_" + column.name().toLowerCase(java.util.Locale.ROOT));
  }

  /** Times {@code operation} on every column that has a catalog, alternating them round by round. */
  private static RowResult row(RestBenchConfig config, Operation operation, Contestants contestants,
      Consumer<String> step, BiFunction<Column, Catalog, Rotation.Op> op) {
    List<Rotation.Entry> entries = new ArrayList<>();
    contestants.catalogs().forEach((column, catalog) ->
        entries.add(new Rotation.Entry(column.name(), S3RequestCounter::snapshot, op.apply(column, catalog))));
    return timed(config, operation, entries, contestants.unavailable(), step);
  }

  private static RowResult signRow(RestBenchConfig config, Contestants contestants, Consumer<String> step) {
    Map<Column, String> notApplicable = new EnumMap<>(Column.class);
    notApplicable.put(Column.PLUGIN, "the plugin signs nothing: an engine reaches storage with the warehouse's key");
    notApplicable.put(Column.REFERENCE, "Iceberg's reference server has no sign route (RESTCatalogAdapter serves the"
        + " catalog API only)");
    if (contestants.signer().isEmpty()) {
      notApplicable.put(Column.SERVE, contestants.signUnavailable());
      return new RowResult(Operation.SIGN, Map.of(), notApplicable);
    }
    SignClient signer = contestants.signer().get();
    return timed(config, Operation.SIGN, List.of(new Rotation.Entry(Column.SERVE.name(), S3RequestCounter::snapshot,
        i -> signer.sign())), notApplicable, step);
  }

  private static RowResult timed(RestBenchConfig config, Operation operation, List<Rotation.Entry> entries,
      Map<Column, String> notApplicable, Consumer<String> step) {
    step.accept(operation.label(config) + ": " + entries.size() + " column(s), " + config.cell().toMillis()
        + " ms each");
    Map<String, Samples> samples = Rotation.runFor(config.warmup(), config.cell().multipliedBy(entries.size()),
        config.maxIterations(), entries);
    return RowResult.of(operation, samples, notApplicable);
  }
}
