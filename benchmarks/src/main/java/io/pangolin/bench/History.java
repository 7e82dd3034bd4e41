package io.pangolin.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotParser;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.util.JsonUtil;

/**
 * A long snapshot history built in memory: copies of a table's current snapshot (same summary, same kind of
 * manifest list path) chained on top of it. Committing it once costs one metadata.json write, where thousands
 * of real appends would rewrite an ever larger metadata.json each time. Loads never open a manifest list, so
 * that the copies share one is of no consequence to what a load reads or a cache holds.
 */
final class History {

  private History() {}

  /** {@code base} with its current snapshot followed by copies of it, up to {@code snapshots} in all. */
  static TableMetadata extend(TableMetadata base, int snapshots) {
    Snapshot template = base.currentSnapshot();
    ObjectNode json;
    try {
      json = (ObjectNode) JsonUtil.mapper().readTree(SnapshotParser.toJson(template));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot read back Iceberg's own snapshot JSON", e);
    }
    TableMetadata.Builder builder = TableMetadata.buildFrom(base);
    long parent = template.snapshotId();
    long sequence = template.sequenceNumber();
    long timestamp = template.timestampMillis();
    for (int i = 1; i < snapshots; i++) {
      long id = parent + 1;
      json.put("snapshot-id", id)
          .put("parent-snapshot-id", parent)
          .put("sequence-number", ++sequence)
          .put("timestamp-ms", ++timestamp)
          .put("manifest-list", template.manifestListLocation().replace(".avro", "-" + i + ".avro"));
      builder.addSnapshot(SnapshotParser.fromJson(json.toString())).setBranchSnapshot(id, SnapshotRef.MAIN_BRANCH);
      parent = id;
    }
    return builder.build();
  }
}
