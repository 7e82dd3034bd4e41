package io.pangolin.bench;

import io.pangolin.testing.TestTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;

/**
 * The same append as the catalogs make, on Iceberg's InMemoryCatalog with its in-memory FileIO: no database,
 * no object store, no network. What it costs is Iceberg's own client-side work for a commit (writing the
 * manifest, the manifest list and metadata.json, re-reading what it needs), which no catalog can avoid; the
 * difference between a catalog's commit and this is what the catalog and the two servers add.
 */
final class InMemoryReference implements AutoCloseable {

  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final Table table;

  InMemoryReference() {
    catalog.initialize("memory", Map.of(CatalogProperties.WAREHOUSE_LOCATION, "memory://warehouse"));
    catalog.createNamespace(Namespace.of("bench"));
    table = catalog.createTable(TableIdentifier.of("bench", "append_target"), TestTables.SCHEMA);
  }

  void append(int iteration) {
    table.newFastAppend().appendFile(Tables.fakeDataFile(table, "a" + iteration)).commit();
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
