package io.pangolin.bench.rest;

/** The three ways of reaching a catalog that the REST endpoint benchmark compares. */
enum Column {
  PLUGIN("plugin, in-process"),
  SERVE("pangolin serve"),
  REFERENCE("Iceberg REST reference");

  private final String label;

  Column(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
