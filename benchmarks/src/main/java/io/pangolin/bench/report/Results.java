package io.pangolin.bench.report;

import io.pangolin.bench.BenchConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything one run measured, filled in by the harness and read by the report and the chart. */
public final class Results {

  public static final String PANGOLIN = "Pangolin";
  public static final String JDBC = "JdbcCatalog";
  /** The contestant name of floor and reference rows. */
  public static final String BASELINE = "Baseline";

  private final BenchConfig config;
  private final Map<Metric, Map<String, Samples>> rows = new EnumMap<>(Metric.class);
  private final Map<AclOperation, Map<String, Samples>> accessControl = new EnumMap<>(AclOperation.class);
  private final List<WriterRound> writerRounds = new ArrayList<>();
  private final List<CacheMemory> cacheMemory = new ArrayList<>();
  private final Map<String, String> setup = new LinkedHashMap<>();
  private double totalSeconds;

  public Results(BenchConfig config) {
    this.config = config;
  }

  public BenchConfig config() {
    return config;
  }

  public void put(Metric metric, String contestant, Samples samples) {
    rows.computeIfAbsent(metric, m -> new LinkedHashMap<>()).put(contestant, samples);
  }

  /** The samples of one contestant for one metric, or null. */
  public Samples get(Metric metric, String contestant) {
    Map<String, Samples> row = rows.get(metric);
    return row == null ? null : row.get(contestant);
  }

  /** Samples of one operation as one login of the access-control section, in the order the logins ran. */
  public void putAccessControl(AclOperation operation, String login, Samples samples) {
    accessControl.computeIfAbsent(operation, o -> new LinkedHashMap<>()).put(login, samples);
  }

  /** The access-control section's samples by operation and login; empty if it did not run. */
  public Map<AclOperation, Map<String, Samples>> accessControl() {
    return accessControl;
  }

  public void addWriterRound(WriterRound round) {
    writerRounds.add(round);
  }

  public List<WriterRound> writerRounds() {
    return writerRounds;
  }

  public void addCacheMemory(CacheMemory measured) {
    cacheMemory.add(measured);
  }

  public List<CacheMemory> cacheMemory() {
    return cacheMemory;
  }

  /** A fact about how the run was set up, shown under the tables. */
  public void note(String what, String value) {
    setup.put(what, value);
  }

  public Map<String, String> setup() {
    return setup;
  }

  public void totalSeconds(double seconds) {
    this.totalSeconds = seconds;
  }

  public double totalSeconds() {
    return totalSeconds;
  }

  /** Median and p95 ratios Pangolin / JdbcCatalog of a metric, or null for a floor or a missing row. */
  public double[] ratio(Metric metric) {
    Samples p = get(metric, PANGOLIN);
    Samples j = get(metric, JDBC);
    if (metric.isBaseline() || p == null || j == null) {
      return null;
    }
    return new double[] {p.median() / j.median(), p.p95() / j.p95()};
  }
}
