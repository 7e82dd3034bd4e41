package io.pangolin.metastore.relations;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Comparator;
import org.apache.iceberg.catalog.TableIdentifier;

/** One table's pointer move in a multi-table commit: from the location its change was made on to the new one. */
public record PointerMove(TableIdentifier id, String expected, String next) {

  /**
   * The order every multi-table commit locks its rows in (namespace levels, then name), so that two of them
   * never wait for each other.
   */
  static final Comparator<PointerMove> ORDER = Comparator
      .<PointerMove, String[]>comparing(m -> m.id().namespace().levels(), Arrays::compare)
      .thenComparing(m -> m.id().name());

  public PointerMove {
    requireNonNull(id, "id");
    requireNonNull(expected, "expected");
    requireNonNull(next, "next");
  }
}
