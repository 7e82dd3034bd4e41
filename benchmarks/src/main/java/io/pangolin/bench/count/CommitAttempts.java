package io.pangolin.bench.count;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.iceberg.metrics.CommitReport;
import org.apache.iceberg.metrics.CounterResult;
import org.apache.iceberg.metrics.MetricsReport;
import org.apache.iceberg.metrics.MetricsReporter;

/**
 * A metrics reporter (catalog property {@code metrics-reporter-impl}) that adds up how many attempts each
 * successful snapshot commit took, per table. Iceberg reports attempts including the one that succeeded, so
 * attempts minus commits is the number of retries after a CommitFailedException.
 */
public final class CommitAttempts implements MetricsReporter {

  private static final Map<String, LongAdder> ATTEMPTS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> COMMITS = new ConcurrentHashMap<>();

  public CommitAttempts() {}

  @Override
  public void report(MetricsReport report) {
    if (report instanceof CommitReport commit) {
      CounterResult attempts = commit.commitMetrics().attempts();
      ATTEMPTS.computeIfAbsent(commit.tableName(), k -> new LongAdder())
          .add(attempts == null ? 1 : attempts.value());
      COMMITS.computeIfAbsent(commit.tableName(), k -> new LongAdder()).increment();
    }
  }

  /** Attempts of all reported commits to the table with this full name (catalog.namespace.table). */
  public static long attempts(String fullTableName) {
    LongAdder a = ATTEMPTS.get(fullTableName);
    return a == null ? 0 : a.sum();
  }

  /** How many commits to the table were reported. */
  public static long commits(String fullTableName) {
    LongAdder c = COMMITS.get(fullTableName);
    return c == null ? 0 : c.sum();
  }
}
