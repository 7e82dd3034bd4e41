package io.pangolin.bench.rest;

import io.pangolin.bench.report.Samples;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** One row's figures: the samples of each column that ran it, and why each other column has none. */
record RowResult(Operation operation, Map<Column, Samples> samples, Map<Column, String> notApplicable) {

  RowResult {
    samples = Map.copyOf(samples);
    notApplicable = Map.copyOf(notApplicable);
    for (Column column : Column.values()) {
      if (samples.containsKey(column) == notApplicable.containsKey(column)) {
        throw new IllegalArgumentException(operation + ": column " + column + " needs either samples or a reason");
      }
    }
  }

  static RowResult of(Operation operation, Map<String, Samples> byName, Map<Column, String> notApplicable) {
    Map<Column, Samples> samples = new EnumMap<>(Column.class);
    byName.forEach((name, s) -> samples.put(Column.valueOf(name), s));
    return new RowResult(operation, samples, notApplicable);
  }

  Optional<Samples> of(Column column) {
    return Optional.ofNullable(samples.get(column));
  }
}
