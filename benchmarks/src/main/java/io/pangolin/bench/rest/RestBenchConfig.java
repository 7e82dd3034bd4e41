package io.pangolin.bench.rest;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sizes of the REST endpoint benchmark: how long each cell is timed, how many unrecorded rounds come first, the
 * size of the listed namespace, and where the report goes. Set with {@code --key=value} arguments.
 *
 * @param cell how long one column of one row is timed (a row of three columns runs three times as long)
 * @param warmup unrecorded rounds before each row
 * @param maxIterations recorded rounds at most per row, whatever time is left
 * @param tables tables in the listed namespace
 * @param out output directory of {@code rest-endpoint.md}
 */
public record RestBenchConfig(String profile, Duration cell, int warmup, int maxIterations, int tables, Path out) {

  public RestBenchConfig {
    requireNonNull(profile, "profile");
    requireNonNull(cell, "cell");
    requireNonNull(out, "out");
    if (cell.isNegative() || cell.isZero() || warmup < 0 || maxIterations < 1 || tables < 1) {
      throw new IllegalArgumentException("REST benchmark sizes out of range: " + describe(cell, warmup, maxIterations,
          tables) + "; give a positive cell-seconds, max-iterations and tables, and warmup of 0 or more");
    }
  }

  /** A few seconds per cell: under a minute in all on two cores. */
  public static RestBenchConfig full() {
    return new RestBenchConfig("full", Duration.ofMillis(2500), 20, 100_000, 100, Path.of("benchmarks", "results"));
  }

  /** Enough rounds to prove every cell runs; what the build runs. */
  public static RestBenchConfig smoke() {
    return new RestBenchConfig("smoke", Duration.ofMillis(250), 2, 100_000, 100, Path.of("target", "smoke-results"));
  }

  /**
   * {@code --profile=full|smoke}, then any of {@code --cell-seconds}, {@code --warmup}, {@code --max-iterations},
   * {@code --tables}, {@code --out}.
   */
  public static RestBenchConfig from(String... args) {
    Map<String, String> given = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (!arg.startsWith("--") || eq < 0) {
        throw new IllegalArgumentException("Argument '" + arg + "' is not --key=value: give e.g. --cell-seconds=2");
      }
      given.put(arg.substring(2, eq), arg.substring(eq + 1));
    }
    String profile = given.getOrDefault("profile", "full");
    RestBenchConfig base = switch (profile) {
      case "full" -> full();
      case "smoke" -> smoke();
      default -> throw new IllegalArgumentException("--profile=" + profile + " is unknown: give full or smoke");
    };
    return base.with(given);
  }

  /** This configuration with {@code overrides} (keys without the leading dashes) applied. */
  public RestBenchConfig with(Map<String, String> overrides) {
    Duration c = cell;
    int w = warmup;
    int m = maxIterations;
    int t = tables;
    Path o = out;
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case "profile" -> { }
        case "cell-seconds" -> c = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
        case "warmup" -> w = Integer.parseInt(v);
        case "max-iterations" -> m = Integer.parseInt(v);
        case "tables" -> t = Integer.parseInt(v);
        case "out" -> o = Path.of(v);
        default -> throw new IllegalArgumentException("--" + e.getKey() + " is unknown: give cell-seconds, warmup,"
            + " max-iterations, tables or out");
      }
    }
    return new RestBenchConfig(profile, c, w, m, t, o);
  }

  public String describe() {
    return profile + " profile: " + describe(cell, warmup, maxIterations, tables);
  }

  private static String describe(Duration cell, int warmup, int maxIterations, int tables) {
    return String.format(Locale.ROOT, "%.2f s per cell, %d warm-up rounds, at most %,d rounds per row, %,d tables"
        + " listed", cell.toMillis() / 1000.0, warmup, maxIterations, tables);
  }
}
