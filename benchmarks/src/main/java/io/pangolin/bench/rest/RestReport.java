package io.pangolin.bench.rest;

import static java.util.Objects.requireNonNull;

import io.pangolin.bench.report.MachineInfo;
import io.pangolin.bench.report.ReportWriter;
import io.pangolin.bench.report.Samples;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The REST endpoint benchmark's figures as Markdown: a run header, one table, the reasons for empty cells. */
final class RestReport {

  static final String NOT_APPLICABLE = "n/a";

  private final RestBenchConfig config;
  private final MachineInfo machine;
  private final String command;
  private final String load;
  private final double seconds;
  private final List<RowResult> rows;
  private final StringBuilder out = new StringBuilder();
  private final List<String> reasons = new ArrayList<>();

  RestReport(RestBenchConfig config, MachineInfo machine, String command, String load, double seconds,
      List<RowResult> rows) {
    this.config = requireNonNull(config, "config");
    this.machine = requireNonNull(machine, "machine");
    this.command = requireNonNull(command, "command");
    this.load = requireNonNull(load, "load");
    this.seconds = seconds;
    this.rows = List.copyOf(rows);
  }

  String markdown() {
    line("# pangolin serve beside the plugin and Iceberg's REST reference server");
    line("");
    line("| Run | |");
    line("|---|---|");
    line("| Date | " + machine.date() + " |");
    line("| Build | `" + ReportWriter.BUILD_COMMAND + "` (from the repository root) |");
    line("| Command | `" + command + "` |");
    line("| Machine | " + machine.nproc() + " CPUs (nproc), " + machine.cpu() + ", " + machine.memory() + " RAM |");
    line("| Java | " + machine.java() + " |");
    line("| Load | " + load + " |");
    line("| Sizes | " + config.describe() + " |");
    line("| Duration | " + String.format(Locale.ROOT, "%.0f s", seconds) + " |");
    line("");
    line("One client thread per column, on loopback, the columns alternating round by round. Requests per second are"
        + " those of that one client running requests back to back (1 / mean latency); latencies in ms, median"
        + " (p95).");
    line("");
    StringBuilder head = new StringBuilder("| Operation | rounds |");
    StringBuilder rule = new StringBuilder("|---|--:|");
    for (Column column : Column.values()) {
      head.append(' ').append(column.label()).append(" req/s | ").append(column.label()).append(" ms |");
      rule.append("--:|--:|");
    }
    line(head.toString());
    line(rule.toString());
    rows.forEach(this::row);
    line("");
    s3Table();
    for (int i = 0; i < reasons.size(); i++) {
      line("[" + (i + 1) + "] " + reasons.get(i) + (i + 1 < reasons.size() ? "  " : ""));
    }
    line("");
    line("What each row does: loadTable loads a table of one snapshot that nothing changes; a commit sets one table"
        + " property on a table of the column's own (one metadata.json written, no data file); listTables lists a"
        + " namespace whose table pointers were inserted with one statement; a sign request asks pangolin serve to"
        + " sign a GET of the loaded table's metadata.json (S3Proxy, which checks signatures, accepted the first"
        + " one). The plugin and pangolin serve share one database and log in as the same principal (READ and"
        + " WRITE on the catalog); the reference server runs Iceberg's JdbcCatalog on a database of its own on the"
        + " same PostgreSQL and checks no credential.");
    return out.toString();
  }

  private void row(RowResult result) {
    int rounds = result.samples().values().stream().mapToInt(Samples::size).max().orElse(0);
    StringBuilder cells = new StringBuilder("| " + result.operation().label(config) + " | " + rounds + " |");
    for (Column column : Column.values()) {
      result.of(column).ifPresentOrElse(
          s -> cells.append(String.format(Locale.ROOT, " %.0f | %.3f (%.3f) |", s.perSecond(), s.median(), s.p95())),
          () -> cells.append(" " + NOT_APPLICABLE + " [" + reason(result.notApplicable().get(column)) + "] | |"));
    }
    line(cells.toString());
  }

  /**
   * S3 requests per operation, counted by an interceptor in every AWS SDK client of the JVM: the servers' as well as
   * the clients', one operation at a time.
   */
  private void s3Table() {
    line("S3 requests per operation, servers and clients together (mean):");
    line("");
    StringBuilder head = new StringBuilder("| Operation |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Column column : Column.values()) {
      head.append(' ').append(column.label()).append(" |");
      rule.append("---|");
    }
    line(head.toString());
    line(rule.toString());
    for (RowResult result : rows) {
      StringBuilder cells = new StringBuilder("| " + result.operation().label(config) + " |");
      for (Column column : Column.values()) {
        cells.append(' ').append(result.of(column).map(RestReport::s3).orElse(NOT_APPLICABLE)).append(" |");
      }
      line(cells.toString());
    }
    line("");
  }

  private static String s3(Samples samples) {
    String byKind = samples.s3ByKind().entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
    return String.format(Locale.ROOT, "%.1f", samples.s3PerOp()) + (byKind.isEmpty() ? "" : " (" + byKind + ")");
  }

  /** The footnote number of {@code reason}, shared by every cell that gives it. */
  private int reason(String reason) {
    int known = reasons.indexOf(reason);
    if (known >= 0) {
      return known + 1;
    }
    reasons.add(reason);
    return reasons.size();
  }

  private void line(String s) {
    out.append(s).append('\n');
  }
}
