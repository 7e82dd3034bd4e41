package io.pangolin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.types.Types;

/** Tables and appends for catalog tests: data files are real objects in the warehouse, registered by append. */
public final class TestTables {

  public static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "data", Types.StringType.get()));

  private TestTables() {}

  /** Writes a small object under the table's data location and returns it as a data file entry. */
  public static DataFile dataFile(Table table, String tag) {
    String location = table.locationProvider().newDataLocation(tag + "-" + UUID.randomUUID() + ".parquet");
    FileIO io = table.io();
    OutputFile out = io.newOutputFile(location);
    byte[] bytes = ("rows of " + tag).getBytes(StandardCharsets.UTF_8);
    try (PositionOutputStream stream = out.createOrOverwrite()) {
      stream.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(location)
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(bytes.length)
        .withRecordCount(1)
        .build();
  }

  /** Data file paths of the table's current snapshot. */
  public static Set<String> currentFiles(Table table) {
    Set<String> paths = new HashSet<>();
    table.refresh();
    table.newScan().planFiles().forEach(task -> paths.add(task.file().location()));
    return paths;
  }

  /** Data file paths of a table's current snapshot, without refreshing (for tables that cannot refresh). */
  public static Set<String> currentFilesOf(Table table) {
    Set<String> paths = new HashSet<>();
    table.newScan().planFiles().forEach(task -> paths.add(task.file().location()));
    return paths;
  }

  /** How many snapshots of the current chain added each path (a duplicate commit shows as 2). */
  public static java.util.Map<String, Integer> additionsInChain(Table table) {
    java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    table.refresh();
    for (Snapshot s = table.currentSnapshot(); s != null;
        s = s.parentId() == null ? null : table.snapshot(s.parentId())) {
      for (DataFile f : s.addedDataFiles(table.io())) {
        counts.merge(f.location(), 1, Integer::sum);
      }
    }
    return counts;
  }
}
