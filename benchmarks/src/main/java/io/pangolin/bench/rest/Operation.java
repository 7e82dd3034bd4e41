package io.pangolin.bench.rest;

/** The rows of the REST endpoint benchmark. */
enum Operation {
  LOAD("loadTable, unchanged table"),
  COMMIT("commit, property update"),
  LIST("listTables"),
  SIGN("sign request, GET of a metadata file");

  private final String label;

  Operation(String label) {
    this.label = label;
  }

  /** The row's label; the listing names its namespace's size. */
  String label(RestBenchConfig config) {
    return this == LIST ? String.format("%s, namespace of %,d tables", label, config.tables()) : label;
  }
}
