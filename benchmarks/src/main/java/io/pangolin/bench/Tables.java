package io.pangolin.bench;

import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;

/** Small table helpers shared by the measurements. */
public final class Tables {

  private Tables() {}

  /**
   * A data file entry at a made-up path inside the table's location. No object is written: appending it is a
   * metadata-only commit, so what is measured is the catalog's commit path and not a data upload.
   */
  public static DataFile fakeDataFile(Table table, String tag) {
    return DataFiles.builder(table.spec())
        .withPath(table.location() + "/data/" + tag + "-" + UUID.randomUUID() + ".parquet")
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(4096)
        .withRecordCount(1)
        .build();
  }

  public static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }
}
