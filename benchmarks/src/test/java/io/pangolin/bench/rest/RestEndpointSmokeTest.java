package io.pangolin.bench.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the REST endpoint benchmark with smoke sizes and checks the report it writes: a row per operation, figures in
 * every cell where the column can run the operation (pangolin serve's sign requests among them, each accepted by
 * S3Proxy before timing), and a stated reason in every other one. It asserts nothing about timings.
 */
class RestEndpointSmokeTest {

  private static final Pattern FOOTNOTE = Pattern.compile("n/a \\[(\\d+)]");

  @Test
  void everyCellHasFiguresOrAReason() throws Exception {
    RestBenchConfig config = RestBenchConfig.smoke();
    Path report = RestEndpointBenchmark.run(config,
        "mvn -B -pl benchmarks -am verify (RestEndpointSmokeTest, smoke profile)");
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);

    for (Operation op : List.of(Operation.LOAD, Operation.COMMIT, Operation.LIST)) {
      List<String> cells = cellsOf(lines, op.label(config));
      assertThat(cells).as("row '%s'", op.label(config)).hasSize(7);
      assertThat(Integer.parseInt(cells.get(0))).as("rounds of '%s'", op.label(config)).isPositive();
      for (int column = 0; column < Column.values().length; column++) {
        String perSecond = cells.get(1 + 2 * column);
        String latency = cells.get(2 + 2 * column);
        String name = Column.values()[column].label();
        assertThat(isNumber(perSecond)).as("req/s of %s in '%s': %s", name, op.label(config), perSecond).isTrue();
        assertThat(isNumber(latency.split(" ")[0])).as("median of %s in '%s': %s", name, op.label(config), latency)
            .isTrue();
      }
    }

    List<String> sign = cellsOf(lines, Operation.SIGN.label(config));
    assertThat(sign).as("sign row").hasSize(7);
    assertThat(reasonOf(lines, sign.get(1))).as("why the plugin has no sign figures")
        .contains("the plugin signs nothing");
    assertThat(reasonOf(lines, sign.get(5))).as("why the reference server has no sign figures")
        .contains("no sign route");
    assertThat(isNumber(sign.get(3))).as("pangolin serve's signed requests per second: %s", sign.get(3)).isTrue();
    assertThat(isNumber(sign.get(4).split(" ")[0])).as("median of pangolin serve's sign requests: %s", sign.get(4))
        .isTrue();
  }

  /** The reason the footnote of an {@code n/a [k]} cell gives. */
  private static String reasonOf(List<String> lines, String cell) {
    Matcher m = FOOTNOTE.matcher(cell);
    assertThat(m.matches()).as("'%s' is n/a with a footnote", cell).isTrue();
    String mark = "[" + m.group(1) + "] ";
    return lines.stream().filter(l -> l.startsWith(mark)).findFirst().map(l -> l.substring(mark.length()).trim())
        .orElseThrow(() -> new AssertionError("no footnote " + mark));
  }

  /** The cells after the label of the table row whose first cell is {@code label}. */
  private static List<String> cellsOf(List<String> lines, String label) {
    return lines.stream()
        .filter(l -> l.startsWith("| " + label + " |"))
        .findFirst()
        .map(l -> Arrays.stream(l.substring(1, l.length() - 1).split("\\|", -1)).skip(1).map(String::trim).toList())
        .orElse(List.of());
  }

  private static boolean isNumber(String cell) {
    try {
      return Double.isFinite(Double.parseDouble(cell));
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
