package io.pangolin.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Sizes of one run. Starts from a profile ({@code full}, the default, or {@code smoke}) and takes overrides
 * from system properties {@code -Dbench.<key>=<value>} and then from arguments {@code --<key>=<value>}:
 * profile, warmup, iterations (all per-operation iteration counts at once), append-iterations,
 * load-iterations, create-iterations, list-iterations, init-iterations, small-catalog, large-catalog,
 * list-tables, writers, commits-per-writer, writer-rounds, acl-namespaces, out.
 */
public record BenchConfig(
    String profile,
    int warmup,
    int appendIterations,
    int loadIterations,
    int createIterations,
    int listIterations,
    int initIterations,
    int smallCatalog,
    int largeCatalog,
    int listTables,
    int writers,
    int commitsPerWriter,
    int writerRounds,
    int aclNamespaces,
    Path out) {

  private static final Set<String> KEYS = Set.of("profile", "warmup", "iterations", "append-iterations",
      "load-iterations", "create-iterations", "list-iterations", "init-iterations", "small-catalog",
      "large-catalog", "list-tables", "writers", "commits-per-writer", "writer-rounds", "acl-namespaces", "out");

  /** The published numbers: about 3 minutes on 2 cores. */
  public static BenchConfig full() {
    return new BenchConfig("full", 10, 300, 300, 100, 50, 30, 100, 100_000, 10_000, 4, 25, 2, 1_000, defaultOut());
  }

  /** A check that every measurement runs and reports, in well under a minute. No number from it means anything. */
  public static BenchConfig smoke() {
    return new BenchConfig("smoke", 1, 3, 3, 3, 3, 3, 20, 100, 50, 4, 3, 1, 10, defaultOut());
  }

  /** Results go to benchmarks/results, whether the run starts in the repository root or in the module. */
  static Path defaultOut() {
    return Files.isDirectory(Path.of("benchmarks", "src")) ? Path.of("benchmarks", "results") : Path.of("results");
  }

  public static BenchConfig from(String[] args) {
    Map<String, String> given = new LinkedHashMap<>();
    System.getProperties().stringPropertyNames().stream()
        .filter(k -> k.startsWith("bench.") && KEYS.contains(k.substring(6)))
        .forEach(k -> given.put(k.substring(6), System.getProperty(k)));
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=") || !KEYS.contains(arg.substring(2, arg.indexOf('=')))) {
        throw new IllegalArgumentException("Unknown argument '" + arg + "'; use --<key>=<value> with a key of "
            + KEYS);
      }
      given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    BenchConfig base = "smoke".equals(given.get("profile")) ? smoke() : full();
    return base.with(given);
  }

  /** This configuration with the given keys replaced. */
  public BenchConfig with(Map<String, String> overrides) {
    Builder b = new Builder(this);
    overrides.forEach(b::set);
    return b.build();
  }

  /** Mutable copy used to apply overrides one key at a time. */
  private static final class Builder {
    String profile;
    int warmup;
    int append;
    int load;
    int create;
    int list;
    int init;
    int small;
    int large;
    int listTables;
    int writers;
    int commits;
    int rounds;
    int aclNamespaces;
    Path out;

    Builder(BenchConfig c) {
      profile = c.profile;
      warmup = c.warmup;
      append = c.appendIterations;
      load = c.loadIterations;
      create = c.createIterations;
      list = c.listIterations;
      init = c.initIterations;
      small = c.smallCatalog;
      large = c.largeCatalog;
      listTables = c.listTables;
      writers = c.writers;
      commits = c.commitsPerWriter;
      rounds = c.writerRounds;
      aclNamespaces = c.aclNamespaces;
      out = c.out;
    }

    void set(String key, String v) {
      switch (key) {
        case "profile" -> profile = v;
        case "warmup" -> warmup = number(v, 0);
        case "iterations" -> {
          append = number(v, 1);
          load = append;
          create = append;
          list = append;
          init = append;
        }
        case "append-iterations" -> append = number(v, 1);
        case "load-iterations" -> load = number(v, 1);
        case "create-iterations" -> create = number(v, 1);
        case "list-iterations" -> list = number(v, 1);
        case "init-iterations" -> init = number(v, 1);
        case "small-catalog" -> small = number(v, 1);
        case "large-catalog" -> large = number(v, 1);
        case "list-tables" -> listTables = number(v, 1);
        case "writers" -> writers = number(v, 1);
        case "commits-per-writer" -> commits = number(v, 1);
        case "writer-rounds" -> rounds = number(v, 1);
        case "acl-namespaces" -> aclNamespaces = number(v, 0);
        case "out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("Unknown benchmark setting '" + key + "'");
      }
    }

    BenchConfig build() {
      return new BenchConfig(profile, warmup, append, load, create, list, init, small, large, listTables, writers,
          commits, rounds, aclNamespaces, out);
    }

    private static int number(String v, int least) {
      int n = Integer.parseInt(v.trim().replace("_", ""));
      if (n < least) {
        throw new IllegalArgumentException("Expected a number of at least " + least + ", got " + v);
      }
      return n;
    }
  }

  /** The settings as arguments, for the report. */
  public String describe() {
    return "profile=" + profile + ", warmup=" + warmup + ", append-iterations=" + appendIterations
        + ", load-iterations=" + loadIterations + ", create-iterations=" + createIterations
        + ", list-iterations=" + listIterations + ", init-iterations=" + initIterations
        + ", small-catalog=" + smallCatalog + ", large-catalog=" + largeCatalog + ", list-tables=" + listTables
        + ", writers=" + writers + ", commits-per-writer=" + commitsPerWriter + ", writer-rounds=" + writerRounds
        + ", acl-namespaces=" + aclNamespaces;
  }
}
