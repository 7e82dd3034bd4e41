package io.pangolin.bench.report;

import io.pangolin.bench.BenchConfig;

/** The rows of the latency table, in order. Labels carry the sizes of the run they come from. */
public enum Metric {
  INIT_CLOSE("Catalog initialize + close, pool already open in the JVM", "init+close"),
  INIT_CLOSE_NEW_POOL("Catalog initialize + close, first in the JVM (opens the pool)", "init+close, new pool"),
  CREATE_TABLE("createTable", "createTable"),
  APPEND("Append commit, metadata-only, one writer", "append"),
  LOAD_UNCHANGED("loadTable, unchanged table with %s snapshots", "load"),
  LOAD_UNCHANGED_NO_CACHE("loadTable, same table, Pangolin metadata cache off", "load, no cache"),
  LOAD_SMALL("loadTable, %s tables in catalog", "load @%s"),
  LOAD_LARGE("loadTable, %s tables in catalog", "load @%s"),
  LIST_TABLES("listTables, namespace of %s tables", "list %s"),
  CONCURRENT_COMMIT("Append commit, %s writers on one table (incl. retries)", "%s writers"),
  FLOOR_PUT("Floor: raw 4 KB PUT through S3FileIO", null),
  FLOOR_CAS("Floor: raw compare-and-swap UPDATE, pooled connection", null),
  REFERENCE_IN_MEMORY("Reference: the same append on Iceberg's InMemoryCatalog (no database, no S3)", null);

  private final String label;
  private final String shortLabel;

  Metric(String label, String shortLabel) {
    this.label = label;
    this.shortLabel = shortLabel;
  }

  /** Floor and reference rows: one contestant (not a catalog under test), no ratio. */
  public boolean isBaseline() {
    return shortLabel == null;
  }

  public String label(BenchConfig c) {
    return String.format(label, size(c));
  }

  /** For the chart's axis. */
  public String shortLabel(BenchConfig c) {
    return isBaseline() ? label(c) : String.format(shortLabel, compact(size(c)));
  }

  private Object size(BenchConfig c) {
    return switch (this) {
      // Every warm-up and measured append left one snapshot.
      case LOAD_UNCHANGED -> c.warmup() + c.appendIterations();
      case LOAD_SMALL -> String.format("%,d", c.smallCatalog());
      case LOAD_LARGE -> String.format("%,d", c.largeCatalog());
      case LIST_TABLES -> String.format("%,d", c.listTables());
      case CONCURRENT_COMMIT -> c.writers();
      default -> "";
    };
  }

  private static String compact(Object size) {
    String s = size.toString().replace(",", "");
    if (s.matches("\\d+") && s.length() > 3 && s.endsWith("000")) {
      return s.substring(0, s.length() - 3) + "k";
    }
    return size.toString();
  }
}
