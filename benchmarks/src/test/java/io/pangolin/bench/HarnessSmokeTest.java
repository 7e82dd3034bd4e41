package io.pangolin.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.bench.report.AclOperation;
import io.pangolin.bench.report.Metric;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole harness with tiny sizes and checks that it produced a complete report and the chart. It
 * asserts nothing about timings: on a shared two-core machine they mean nothing at this size.
 */
class HarnessSmokeTest {

  private static final Path OUT = Path.of("target", "smoke-results");

  @Test
  void smokeRunProducesEveryRowAndTheChart() throws Exception {
    BenchConfig config = BenchConfig.smoke().with(Map.of("out", OUT.toString()));
    Path report = BenchmarkMain.run(config, "mvn -B -pl benchmarks -am verify (HarnessSmokeTest, smoke profile)");

    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    for (Metric metric : Metric.values()) {
      List<String> cells = cellsOf(lines, metric.label(config));
      // Catalog rows: n, two medians, two p95s, two ratios. Floor and reference rows: n, median, p95.
      int numeric = metric.isBaseline() ? 3 : 7;
      assertThat(cells).as("numbers in row '%s'", metric.label(config)).hasSizeGreaterThanOrEqualTo(numeric);
      for (String cell : cells.subList(0, numeric)) {
        assertThat(isNumber(cell)).as("'%s' in row '%s' is a number", cell, metric.label(config)).isTrue();
      }
      assertThat(Double.parseDouble(cells.get(0))).as("samples in row '%s'", metric.label(config)).isPositive();
    }
    for (String catalog : List.of("Pangolin", "JdbcCatalog")) {
      List<String> writers = cellsOf(lines, catalog);
      assertThat(writers).as("writers row of %s", catalog).hasSize(11);
      writers.forEach(cell -> assertThat(isNumber(cell)).as("'%s' in the writers row of %s", cell, catalog).isTrue());
      assertThat(Integer.parseInt(writers.get(1))).as("acknowledged commits of %s", catalog).isPositive();
    }
    // The requests table has a row for every catalog metric, each count starting with a number.
    List<String> requestTable = lines.subList(lines.indexOf("## Requests per operation (mean)"), lines.size());
    for (Metric metric : Metric.values()) {
      if (!metric.isBaseline()) {
        List<String> counts = cellsOf(requestTable, metric.label(config));
        assertThat(counts).as("request counts of '%s'", metric.label(config)).hasSize(4);
        counts.forEach(cell -> assertThat(isNumber(cell.split(" ")[0]))
            .as("'%s' in the request counts of '%s'", cell, metric.label(config)).isTrue());
      }
    }

    // Every access-control operation has a row per login: n, median, p95, ratio, then the request counts.
    List<String> aclTable = lines.subList(lines.indexOf("## Pangolin with access control on"), lines.size());
    for (AclOperation op : AclOperation.values()) {
      List<List<String>> rows = aclTable.stream().filter(l -> l.startsWith("| " + op.label(config) + " |"))
          .map(HarnessSmokeTest::cells).toList();
      assertThat(rows).as("access-control rows of '%s'", op.label(config)).extracting(r -> r.get(0))
          .containsExactly("superuser", "catalog grant", "namespace grant");
      for (List<String> row : rows) {
        row.subList(1, 7).forEach(cell -> assertThat(isNumber(cell.split(" ")[0]))
            .as("'%s' in the %s row of '%s'", cell, row.get(0), op.label(config)).isTrue());
      }
    }

    List<String> cacheTable = lines.subList(lines.indexOf("## Pangolin metadata cache memory, one table"),
        lines.size());
    for (String snapshots : List.of("300", "3000")) {
      List<String> cells = cellsOf(cacheTable, snapshots);
      assertThat(cells).as("cache memory row of %s snapshots", snapshots).hasSize(5);
      cells.forEach(cell -> assertThat(Double.parseDouble(cell)).as("'%s' in the %s-snapshot row", cell, snapshots)
          .isPositive());
    }
    assertThat(Double.parseDouble(cellsOf(cacheTable, "3000").get(3)))
        .as("estimate / measured heap at 3,000 snapshots").isBetween(0.8, 1.25);

    byte[] png = Files.readAllBytes(OUT.resolve("ratios.png"));
    assertThat(png.length).isGreaterThan(1000);
    assertThat(Arrays.copyOf(png, 8)).isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
  }

  /** The cells after the first of the first table row whose first cell is {@code label}. */
  private static List<String> cellsOf(List<String> lines, String label) {
    return lines.stream()
        .filter(l -> l.startsWith("| " + label + " |"))
        .findFirst()
        .map(HarnessSmokeTest::cells)
        .orElse(List.of());
  }

  private static List<String> cells(String line) {
    String[] parts = line.substring(1, line.length() - 1).split("\\|");
    return Arrays.stream(parts).skip(1).map(String::trim).toList();
  }

  private static boolean isNumber(String cell) {
    try {
      return Double.isFinite(Double.parseDouble(cell));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
