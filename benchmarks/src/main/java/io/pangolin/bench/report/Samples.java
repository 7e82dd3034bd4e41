package io.pangolin.bench.report;

import io.pangolin.bench.count.Counts;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Latencies of one operation on one contestant, and what the operations cost in requests altogether. */
public final class Samples {

  private final List<Double> millis = new ArrayList<>();
  private Counts cost = Counts.ZERO;
  private long operations;

  /** One timed operation and its cost. */
  public synchronized void add(double ms, Counts opCost) {
    millis.add(ms);
    cost = cost.plus(opCost);
    operations++;
  }

  /** One timed operation whose cost is only known in aggregate (concurrent writers). */
  public synchronized void addLatency(double ms) {
    millis.add(ms);
  }

  /** The aggregate cost of {@code ops} operations timed with {@link #addLatency}. */
  public synchronized void addCost(Counts total, long ops) {
    cost = cost.plus(total);
    operations += ops;
  }

  public synchronized void addAll(Samples other) {
    millis.addAll(other.millis);
    cost = cost.plus(other.cost);
    operations += other.operations;
  }

  public synchronized int size() {
    return millis.size();
  }

  public synchronized double median() {
    List<Double> s = sorted();
    int n = s.size();
    if (n == 0) {
      return Double.NaN;
    }
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** Operations per second of one caller running them back to back: the inverse of the mean latency. */
  public synchronized double perSecond() {
    double total = millis.stream().mapToDouble(Double::doubleValue).sum();
    return total == 0 ? Double.NaN : 1000.0 * millis.size() / total;
  }

  /** Nearest-rank 95th percentile: the smallest value at or above 95 % of the samples. */
  public synchronized double p95() {
    List<Double> s = sorted();
    if (s.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(0.95 * s.size());
    return s.get(Math.max(0, rank - 1));
  }

  public synchronized double sqlPerOp() {
    return operations == 0 ? Double.NaN : (double) cost.sqlTotal() / operations;
  }

  public synchronized double s3PerOp() {
    return operations == 0 ? Double.NaN : (double) cost.s3Total() / operations;
  }

  public synchronized double connectsPerOp() {
    return operations == 0 ? Double.NaN : (double) cost.connects() / operations;
  }

  /** Mean SQL round trips per operation by kind. */
  public synchronized Map<String, Double> sqlByKind() {
    return perOp(cost.sql());
  }

  /** Mean S3 requests per operation by kind. */
  public synchronized Map<String, Double> s3ByKind() {
    return perOp(cost.s3());
  }

  private Map<String, Double> perOp(Map<String, Long> totals) {
    Map<String, Double> out = new TreeMap<>();
    if (operations > 0) {
      totals.forEach((k, v) -> out.put(k, (double) v / operations));
    }
    return out;
  }

  private List<Double> sorted() {
    List<Double> s = new ArrayList<>(millis);
    Collections.sort(s);
    return s;
  }
}
