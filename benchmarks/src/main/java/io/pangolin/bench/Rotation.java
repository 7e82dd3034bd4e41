package io.pangolin.bench;

import io.pangolin.bench.count.Counts;
import io.pangolin.bench.report.Samples;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.Supplier;

/**
 * Runs several contestants' version of one operation round-robin: every iteration runs each contestant once,
 * and the contestant that goes first moves on by one each iteration. Anything that drifts during the run (other
 * processes on the machine, the JIT, a growing table, PostgreSQL's caches) therefore hits every contestant
 * alike, and none always runs right after another's cache-warming work.
 */
public final class Rotation {

  /** An operation to time; {@code iteration} counts warm-up iterations too, so names built from it are unique. */
  @FunctionalInterface
  public interface Op {
    void run(int iteration) throws Exception;
  }

  /**
   * A contestant: its name in the results, where its request counts come from, its operation, and what to do
   * before each run of it, untimed and uncounted (for instance, change the table the operation then loads).
   */
  public record Entry(String name, Supplier<Counts> counts, Op op, Op prepare) {
    public Entry(String name, Supplier<Counts> counts, Op op) {
      this(name, counts, op, i -> { });
    }
  }

  private Rotation() {}

  /** Times {@code warmup} unrecorded and then {@code iterations} recorded rounds. */
  static Map<String, Samples> run(int warmup, int iterations, List<Entry> entries) {
    return run(warmup, i -> i < warmup + iterations, entries);
  }

  /**
   * Times {@code warmup} unrecorded rounds, then recorded rounds until {@code budget} has passed since the first
   * recorded one or {@code maxIterations} were recorded, whichever comes first.
   */
  public static Map<String, Samples> runFor(int warmup, Duration budget, int maxIterations, List<Entry> entries) {
    long[] deadline = {Long.MAX_VALUE};
    return run(warmup, i -> {
      if (i == warmup) {
        deadline[0] = System.nanoTime() + budget.toNanos();
      }
      return i < warmup || (i < warmup + maxIterations && System.nanoTime() < deadline[0]);
    }, entries);
  }

  private static Map<String, Samples> run(int warmup, IntPredicate another, List<Entry> entries) {
    Map<String, Samples> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.name(), new Samples()));
    for (int i = 0; another.test(i); i++) {
      for (int k = 0; k < entries.size(); k++) {
        Entry e = entries.get((i + k) % entries.size());
        try {
          e.prepare().run(i);
        } catch (Exception ex) {
          throw new IllegalStateException(e.name() + " could not prepare iteration " + i + ": " + ex.getMessage(), ex);
        }
        Counts before = e.counts().get();
        long start = System.nanoTime();
        try {
          e.op().run(i);
        } catch (Exception ex) {
          throw new IllegalStateException(e.name() + " failed in iteration " + i + ": " + ex.getMessage(), ex);
        }
        long end = System.nanoTime();
        // Counters are read outside the timed span; reading them costs nothing on the wire.
        Counts cost = e.counts().get().minus(before);
        if (i >= warmup) {
          out.get(e.name()).add((end - start) / 1e6, cost);
        }
      }
    }
    return out;
  }
}
