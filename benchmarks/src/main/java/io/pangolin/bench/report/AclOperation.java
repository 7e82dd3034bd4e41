package io.pangolin.bench.report;

import io.pangolin.bench.BenchConfig;

/** The rows of the access-control table, in order. */
public enum AclOperation {
  COMMIT("Append commit, metadata-only"),
  LOAD_UNCHANGED("loadTable, unchanged table"),
  LOAD_CHANGED("loadTable, table changed since this instance's last load"),
  LIST_TABLES("listTables, namespace of %s tables");

  private final String label;

  AclOperation(String label) {
    this.label = label;
  }

  public String label(BenchConfig c) {
    return String.format(label, String.format("%,d", c.listTables()));
  }
}
