package io.pangolin.bench.count;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a stretch of work cost in requests: PostgreSQL round trips by kind (SELECT, UPDATE, COMMIT, ...), new
 * physical PostgreSQL connections, and S3 requests by kind (GET, HEAD, PUT, ...). Immutable; work out the cost
 * of one operation as {@code after.minus(before)}.
 */
public record Counts(Map<String, Long> sql, long connects, Map<String, Long> s3) {

  public static final Counts ZERO = new Counts(Map.of(), 0, Map.of());

  public Counts {
    sql = Map.copyOf(sql);
    s3 = Map.copyOf(s3);
  }

  public long sqlTotal() {
    return sql.values().stream().mapToLong(Long::longValue).sum();
  }

  public long s3Total() {
    return s3.values().stream().mapToLong(Long::longValue).sum();
  }

  public Counts plus(Counts other) {
    return new Counts(combine(sql, other.sql, 1), connects + other.connects, combine(s3, other.s3, 1));
  }

  public Counts minus(Counts other) {
    return new Counts(combine(sql, other.sql, -1), connects - other.connects, combine(s3, other.s3, -1));
  }

  private static Map<String, Long> combine(Map<String, Long> a, Map<String, Long> b, int sign) {
    Map<String, Long> out = new TreeMap<>(a);
    b.forEach((k, v) -> out.merge(k, sign * v, Long::sum));
    out.values().removeIf(v -> v == 0);
    return out;
  }
}
