package io.pangolin.bench.count;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts PostgreSQL round trips made over connections wrapped by {@link CountingConnections}, by kind, and the
 * physical connections opened. One counter per catalog under test, shared by all its instances and threads.
 */
public final class SqlCounter {

  private final Map<String, LongAdder> byKind = new ConcurrentHashMap<>();
  private final LongAdder connects = new LongAdder();

  void roundTrip(String kind) {
    byKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void connected() {
    connects.increment();
  }

  /** The running totals, with no S3 requests. */
  public Counts snapshot() {
    Map<String, Long> sql = new TreeMap<>();
    byKind.forEach((k, v) -> sql.put(k, v.sum()));
    return new Counts(sql, connects.sum(), Map.of());
  }
}
