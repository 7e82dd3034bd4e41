package io.pangolin.bench.report;

import io.pangolin.bench.BenchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a run's results as Markdown: latency table with ratios, floor, request counts, writers, set-up. */
public final class ReportWriter {

  /** How the jar the full run starts from is built. */
  public static final String BUILD_COMMAND = "mvn -B -q -DskipTests -pl benchmarks -am package";

  private final Results results;
  private final MachineInfo machine;
  private final String command;
  private final BenchConfig config;
  private final StringBuilder out = new StringBuilder();

  public ReportWriter(Results results, MachineInfo machine, String command) {
    this.results = results;
    this.machine = machine;
    this.command = command;
    this.config = results.config();
  }

  public String markdown() {
    header();
    latencyTable();
    floorTable();
    requestTable();
    writersTable();
    accessControlTable();
    cacheMemoryTable();
    setup();
    line("![Pangolin / JdbcCatalog latency ratios](ratios.png)");
    return out.toString();
  }

  private void header() {
    line("# Pangolin vs Iceberg's JdbcCatalog: catalog benchmark");
    line("");
    line("| Run | |");
    line("|---|---|");
    line("| Date | " + machine.date() + " |");
    line("| Build | `" + BUILD_COMMAND + "` (from the repository root) |");
    line("| Command | `" + command + "` |");
    line("| Machine | " + machine.nproc() + " CPUs (nproc), " + machine.cpu() + ", " + machine.memory() + " RAM |");
    line("| Java | " + machine.java() + " |");
    line("| OS | " + machine.os() + " |");
    line("| Sizes | " + config.describe() + " |");
    line("| Duration | " + String.format(Locale.ROOT, "%.0f s", results.totalSeconds()) + " |");
    line("");
    line("Timings come from a shared machine (other builds may have been running) and are indicative; the ratios"
        + " are more robust than the absolute numbers because every measurement alternates between the catalogs"
        + " iteration by iteration. Request counts do not depend on load.");
    line("");
  }

  private void latencyTable() {
    line("## Latency (milliseconds)");
    line("");
    line("Ratio = Pangolin / JdbcCatalog: below 1 means Pangolin is faster.");
    line("");
    line("| Metric | n | Pangolin median | Pangolin p95 | JdbcCatalog median | JdbcCatalog p95 | Ratio median | Ratio p95 |");
    line("|---|--:|--:|--:|--:|--:|--:|--:|");
    for (Metric m : Metric.values()) {
      if (m.isBaseline()) {
        continue;
      }
      Samples p = results.get(m, Results.PANGOLIN);
      Samples j = results.get(m, Results.JDBC);
      double[] ratio = results.ratio(m);
      line(row(m.label(config), count(p), ms(p == null ? Double.NaN : p.median()),
          ms(p == null ? Double.NaN : p.p95()), ms(j == null ? Double.NaN : j.median()),
          ms(j == null ? Double.NaN : j.p95()), ratio == null ? "n/a" : num(ratio[0], 2),
          ratio == null ? "n/a" : num(ratio[1], 2)));
    }
    line("");
  }

  private void floorTable() {
    line("## Floor and reference");
    line("");
    line("| Operation | n | Median | p95 | SQL round trips / op | S3 requests / op |");
    line("|---|--:|--:|--:|--:|--:|");
    for (Metric m : Metric.values()) {
      if (!m.isBaseline()) {
        continue;
      }
      Samples b = results.get(m, Results.BASELINE);
      line(row(m.label(config), count(b), ms(b == null ? Double.NaN : b.median()),
          ms(b == null ? Double.NaN : b.p95()), sql(b), s3(b)));
    }
    Samples put = results.get(Metric.FLOOR_PUT, Results.BASELINE);
    Samples cas = results.get(Metric.FLOOR_CAS, Results.BASELINE);
    Samples memory = results.get(Metric.REFERENCE_IN_MEMORY, Results.BASELINE);
    Samples pangolin = results.get(Metric.APPEND, Results.PANGOLIN);
    Samples jdbc = results.get(Metric.APPEND, Results.JDBC);
    if (put != null && cas != null && memory != null && pangolin != null && jdbc != null) {
      double requests = 3 * put.median() + cas.median();
      line("");
      line("Reading the append row against these (medians): a metadata-only commit must at least write a manifest,"
          + " a manifest list and a metadata.json and move one pointer, 3 PUTs + 1 compare-and-swap = "
          + ms(requests) + " ms here; Iceberg's own client-side work for the same commit, with no I/O at all, is "
          + ms(memory.median()) + " ms. Together that is " + ms(requests + memory.median()) + " ms; Pangolin's"
          + " commit took " + ms(pangolin.median()) + " ms and JdbcCatalog's " + ms(jdbc.median()) + " ms.");
    }
    line("");
  }

  private void requestTable() {
    line("## Requests per operation (mean)");
    line("");
    line("SQL counts round trips to PostgreSQL (statements, COMMIT/ROLLBACK, pool validation, metadata queries);"
        + " new physical connections are shown separately. S3 counts HTTP requests sent by the AWS SDK, retries"
        + " included.");
    line("");
    line("| Metric | Pangolin SQL | Pangolin S3 | JdbcCatalog SQL | JdbcCatalog S3 |");
    line("|---|---|---|---|---|");
    for (Metric m : Metric.values()) {
      if (m.isBaseline()) {
        continue;
      }
      Samples p = results.get(m, Results.PANGOLIN);
      Samples j = results.get(m, Results.JDBC);
      line(row(m.label(config), sql(p), s3(p), sql(j), s3(j)));
    }
    line("");
  }

  private void writersTable() {
    line("## " + config.writers() + " writers appending to one table");
    line("");
    line("| Catalog | Rounds | Acknowledged | Failed | Unknown | Retries | Retries / commit | Commits/s | Lost | Duplicated"
        + " | SQL / commit | S3 / commit |");
    line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    double[] throughput = new double[2];
    int i = 0;
    for (String catalog : List.of(Results.PANGOLIN, Results.JDBC)) {
      List<WriterRound> rounds = results.writerRounds().stream().filter(r -> r.catalog().equals(catalog)).toList();
      int acked = rounds.stream().mapToInt(WriterRound::acknowledged).sum();
      long retries = rounds.stream().mapToLong(WriterRound::retries).sum();
      double wall = rounds.stream().mapToDouble(WriterRound::wallMs).sum();
      throughput[i++] = acked / (wall / 1000.0);
      Samples commits = results.get(Metric.CONCURRENT_COMMIT, catalog);
      line(row(catalog, Integer.toString(rounds.size()), Integer.toString(acked),
          Integer.toString(rounds.stream().mapToInt(WriterRound::failed).sum()),
          Integer.toString(rounds.stream().mapToInt(WriterRound::unknown).sum()),
          Long.toString(retries), num(acked == 0 ? Double.NaN : (double) retries / acked, 2),
          num(acked / (wall / 1000.0), 1),
          Integer.toString(rounds.stream().mapToInt(WriterRound::lost).sum()),
          Integer.toString(rounds.stream().mapToInt(WriterRound::duplicated).sum()),
          commits == null ? "n/a" : num(commits.sqlPerOp(), 1), commits == null ? "n/a" : num(commits.s3PerOp(), 1)));
    }
    line("");
    line("Commits/s ratio Pangolin / JdbcCatalog: " + num(throughput[0] / throughput[1], 2)
        + " (above 1 means Pangolin gets more commits through). Commit latency under contention is the \""
        + Metric.CONCURRENT_COMMIT.label(config) + "\" row above.");
    long failedPresent = results.writerRounds().stream().mapToInt(WriterRound::failedButPresent).sum();
    if (failedPresent > 0) {
      line("");
      line("**" + failedPresent + " commit(s) reported as failed are nevertheless in the table.**");
    }
    line("");
  }

  private void accessControlTable() {
    if (results.accessControl().isEmpty()) {
      return;
    }
    line("## Pangolin with access control on");
    line("");
    line("The same operations as the superuser (row-level security bypassed, as in every other section), as a"
        + " principal with a grant on the catalog and as a principal with a grant on one namespace among many,"
        + " alternating per iteration. Ratio = the login's median / the superuser's median.");
    line("");
    line("| Operation | Login | n | Median | p95 | Ratio median | SQL round trips / op | S3 requests / op |");
    line("|---|---|--:|--:|--:|--:|--:|--:|");
    results.accessControl().forEach((op, byLogin) -> {
      double base = byLogin.values().iterator().next().median();
      byLogin.forEach((login, s) -> line(row(op.label(config), login, count(s), ms(s.median()), ms(s.p95()),
          num(s.median() / base, 2), sql(s), s3(s))));
    });
    line("");
  }

  private void cacheMemoryTable() {
    line("## Pangolin metadata cache memory, one table");
    line("");
    line("The history is built in memory and committed once; fresh catalog instances load the table, and the"
        + " heap in use after a full collection is read before and after they drop their entries. Each instance's"
        + " cache then holds exactly the table's current metadata file, and the writer's none of its superseded"
        + " ones.");
    line("");
    line("| Snapshots | metadata.json KiB | Cache weight KiB (estimate) | Measured heap KiB | Estimate / measured"
        + " | Default bound MiB |");
    line("|--:|--:|--:|--:|--:|--:|");
    for (CacheMemory m : results.cacheMemory()) {
      line(row(Integer.toString(m.snapshots()), num(m.metadataJsonBytes() / 1024.0, 0),
          num(m.weightBytes() / 1024.0, 0), num(m.measuredHeapBytes() / 1024.0, 0),
          num((double) m.weightBytes() / m.measuredHeapBytes(), 2), num(m.boundBytes() / 1048576.0, 0)));
    }
    line("");
  }

  private void setup() {
    line("## Set-up");
    line("");
    line("- Catalogs: Pangolin (PangolinCatalog as engines load it, its pool's physical connections counted) and"
        + " Iceberg's JdbcCatalog (its own database on the same server, tables created by JdbcCatalog itself,"
        + " jdbc.schema-version=V1, S3FileIO with static keys); no CachingCatalog around either.");
    line("- Appends are fast appends of one data-file entry whose path lies in the table's location; no data object"
        + " is written, so the catalog's commit path dominates.");
    line("- Each timed section alternates the contestants round-robin per iteration, after "
        + config.warmup() + " warm-up iteration(s).");
    results.setup().forEach((k, v) -> line("- " + k + ": " + v));
    line("");
  }

  // Formatting

  private static String row(String... cells) {
    return "| " + String.join(" | ", cells) + " |";
  }

  private static String count(Samples s) {
    return s == null ? "0" : Integer.toString(s.size());
  }

  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    return v < 10 ? num(v, 2) : v < 100 ? num(v, 1) : num(v, 0);
  }

  static String num(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String sql(Samples s) {
    if (s == null) {
      return "n/a";
    }
    String text = num(s.sqlPerOp(), 1) + detail(s.sqlByKind());
    return s.connectsPerOp() > 0 ? text + " + " + trim(s.connectsPerOp()) + " connects" : text;
  }

  private static String s3(Samples s) {
    return s == null ? "n/a" : num(s.s3PerOp(), 1) + detail(s.s3ByKind());
  }

  private static String detail(Map<String, Double> byKind) {
    if (byKind.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    byKind.forEach((k, v) -> parts.add(k + " " + trim(v)));
    return " (" + parts.stream().collect(Collectors.joining(", ")) + ")";
  }

  private static String trim(double v) {
    if (v > 0 && v < 0.005) {
      return "<0.01";
    }
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
