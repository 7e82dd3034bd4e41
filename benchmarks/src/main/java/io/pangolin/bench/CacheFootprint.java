package io.pangolin.bench;

import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.catalogs.PangolinAdapter;
import io.pangolin.bench.report.CacheMemory;
import io.pangolin.catalog.PangolinCatalogs;
import io.pangolin.catalog.PangolinConfig;
import io.pangolin.testing.TestTables;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The heap Pangolin's metadata cache holds for one table with a long history. The history is built in memory
 * ({@link History}) and committed once through Pangolin; then fresh catalog instances load the table, and the
 * heap in use after a full collection is compared before and after each instance drops its entry
 * ({@code invalidateTable}). Nothing else changes between the two readings, so their difference is what the
 * entries retained.
 */
final class CacheFootprint {

  /** Several instances, so that the difference stands well above what background threads allocate. */
  private static final int INSTANCES = 4;

  private CacheFootprint() {}

  static CacheMemory measure(PangolinAdapter pangolin, Catalog writer, TableIdentifier id, int snapshots) {
    Table table = writer.createTable(id, TestTables.SCHEMA);
    table.newFastAppend().appendFile(Tables.fakeDataFile(table, "history")).commit();
    TableOperations ops = ((HasTableOperations) table).operations();
    TableMetadata base = ops.current();
    ops.commit(base, History.extend(base, snapshots));
    String location = ops.current().metadataFileLocation();
    if (PangolinCatalogs.cachedMetadata(writer).contains(base.metadataFileLocation())) {
      throw new IllegalStateException("The writer's cache still holds the superseded " + base.metadataFileLocation());
    }
    long jsonBytes = table.io().newInputFile(location).getLength();

    List<CatalogHandle> readers = new ArrayList<>();
    try {
      for (int i = 0; i < INSTANCES; i++) {
        CatalogHandle reader = pangolin.open(Map.of());
        readers.add(reader);
        int loaded = ((HasTableOperations) reader.tables().loadTable(id)).operations().current().snapshots().size();
        if (loaded != snapshots) {
          throw new IllegalStateException("Loaded " + loaded + " snapshots of " + id + ", expected " + snapshots);
        }
      }
      Catalog first = readers.get(0).tables();
      if (!PangolinCatalogs.cachedMetadata(first).equals(List.of(location))) {
        throw new IllegalStateException("The cache holds " + PangolinCatalogs.cachedMetadata(first)
            + ", expected only " + location);
      }
      long weight = PangolinCatalogs.metadataCacheWeight(first);
      long withEntries = heapInUse();
      readers.forEach(r -> r.tables().invalidateTable(id));
      long without = heapInUse();
      return new CacheMemory(snapshots, jsonBytes, weight, (withEntries - without) / INSTANCES,
          PangolinConfig.METADATA_CACHE_MAX_BYTES_DEFAULT);
    } finally {
      readers.forEach(CatalogHandle::close);
    }
  }

  private static long heapInUse() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
