package io.pangolin.catalog;

import static io.pangolin.catalog.PangolinConfig.CONSISTENT_READS;
import static io.pangolin.catalog.PangolinConfig.CONSISTENT_READS_GAP_MS;
import static io.pangolin.catalog.PangolinConfig.CONSISTENT_READS_GAP_MS_DEFAULT;
import static io.pangolin.catalog.PangolinConfig.CONSISTENT_READS_MAX_MS;
import static io.pangolin.catalog.PangolinConfig.CONSISTENT_READS_MAX_MS_DEFAULT;
import static io.pangolin.catalog.PropertyValues.bool;
import static io.pangolin.catalog.PropertyValues.positiveInt;

import java.util.Map;

/**
 * The {@code pangolin.consistent-reads*} catalog properties (see {@link PangolinConfig}), parsed and checked
 * together: a burst must be allowed at least one gap.
 */
record ConsistentReadsProperties(boolean on, long gapMs, long maxMs) {

  static ConsistentReadsProperties parse(Map<String, String> properties) {
    boolean on = bool(properties, CONSISTENT_READS, false);
    long gapMs = positiveInt(properties, CONSISTENT_READS_GAP_MS, CONSISTENT_READS_GAP_MS_DEFAULT);
    long maxMs = positiveInt(properties, CONSISTENT_READS_MAX_MS, CONSISTENT_READS_MAX_MS_DEFAULT);
    if (maxMs < gapMs) {
      throw new IllegalArgumentException("Invalid catalog property '" + CONSISTENT_READS_MAX_MS + "': "
          + maxMs + " is shorter than '" + CONSISTENT_READS_GAP_MS + "' (" + gapMs
          + "); a burst must be allowed at least one gap. Raise the first or lower the second");
    }
    return new ConsistentReadsProperties(on, gapMs, maxMs);
  }
}
