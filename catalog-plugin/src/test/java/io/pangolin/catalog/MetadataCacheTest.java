package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metadata cache keeps one current version per table within its byte bound, and a load of a table whose
 * pointer has not moved is served from it; a deleted metadata file shows as soon as the cache is bypassed.
 */
class MetadataCacheTest {

  private static final String BUCKET = "metadata-cache";
  private static final Namespace NS = Namespace.of("cache");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("cache-key", "cache-secret", BUCKET);

  private String url;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    try (PangolinCatalog catalog = open(Map.of())) {
      catalog.createNamespace(NS);
    }
  }

  @Test
  void commitsKeepOnlyTheCurrentVersionWithinTheBound() {
    long bound = 50_000;
    TableIdentifier hot = TableIdentifier.of(NS, "hot");
    TableIdentifier quiet = TableIdentifier.of(NS, "quiet");
    try (PangolinCatalog catalog = open(Map.of(PangolinConfig.METADATA_CACHE_MAX_BYTES, Long.toString(bound)));
        PangolinCatalog other = open(Map.of())) {
      MetadataCache cache = catalog.metadataCache();
      Table quietTable = catalog.createTable(quiet, TestTables.SCHEMA);
      Table table = catalog.createTable(hot, TestTables.SCHEMA);
      boolean outgrewTheBound = false;
      for (int i = 0; i < 40; i++) {
        table.newFastAppend().appendFile(TestTables.dataFile(table, "c" + i)).commit();
        String current = location(table);
        assertThat(cache.weight()).as("weight after commit %s", i).isLessThanOrEqualTo(bound);
        assertThat(cache.cachedLocations()).as("cached files after commit %s", i)
            .isSubsetOf(current, location(quietTable));
        boolean kept = cache.cachedLocations().contains(current);
        outgrewTheBound |= !kept;
        assertThat(kept).as("a table that outgrew the bound stays out").isEqualTo(!outgrewTheBound);
        assertThat(location(catalog.loadTable(hot))).isEqualTo(current);
      }
      assertThat(outgrewTheBound).as("40 snapshots weigh more than %s bytes", bound).isTrue();
      assertThat(location(catalog.loadTable(quiet))).isEqualTo(location(quietTable));
      assertThat(cache.cachedLocations()).containsExactly(location(quietTable));
      assertThat(cache.weight()).isPositive().isLessThanOrEqualTo(bound);

      Table loaded = catalog.loadTable(hot);
      assertThat(loaded.snapshots()).hasSize(40);
      assertThat(loaded.currentSnapshot().snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());

      // Another process moves the quiet table's pointer: the next load reads the new file and replaces the entry.
      Table fromOther = other.loadTable(quiet);
      fromOther.newFastAppend().appendFile(TestTables.dataFile(fromOther, "other")).commit();
      Table reloaded = catalog.loadTable(quiet);
      assertThat(location(reloaded)).isEqualTo(location(fromOther)).isNotEqualTo(location(quietTable));
      assertThat(reloaded.currentSnapshot().snapshotId()).isEqualTo(fromOther.currentSnapshot().snapshotId());
      assertThat(cache.cachedLocations()).containsExactly(location(fromOther));
    }
  }

  @Test
  void leastRecentlyUsedTablesLeaveFirst() {
    try (PangolinCatalog catalog = open(Map.of(PangolinConfig.METADATA_CACHE_SIZE, "2"))) {
      MetadataCache cache = catalog.metadataCache();
      Table a = catalog.createTable(TableIdentifier.of(NS, "a"), TestTables.SCHEMA);
      Table b = catalog.createTable(TableIdentifier.of(NS, "b"), TestTables.SCHEMA);
      catalog.loadTable(TableIdentifier.of(NS, "a"));
      Table c = catalog.createTable(TableIdentifier.of(NS, "c"), TestTables.SCHEMA);
      assertThat(cache.cachedLocations()).containsExactly(location(a), location(c));
      assertThat(location(catalog.loadTable(TableIdentifier.of(NS, "b")))).isEqualTo(location(b));
      assertThat(cache.cachedLocations()).containsExactly(location(c), location(b));
    }
  }

  /** A reader that parsed a version just before a commit superseded it does not put it back over the newer one. */
  @Test
  void anOlderVersionNeverReplacesANewerOne() {
    TableIdentifier id = TableIdentifier.of(NS, "raced");
    TableMetadata older = withLocation(TableMetadata.newTableMetadata(TestTables.SCHEMA, PartitionSpec.unpartitioned(),
        "s3://" + BUCKET + "/raced", Map.of()), "s3://" + BUCKET + "/raced/metadata/00000.metadata.json");
    TableMetadata newer = withLocation(TableMetadata.buildFrom(older).setProperties(Map.of("k", "v")).build(),
        "s3://" + BUCKET + "/raced/metadata/00001.metadata.json");
    MetadataCache cache = new MetadataCache(10, 1 << 20);
    cache.put(id, newer);
    cache.put(id, older);
    assertThat(cache.cachedLocations()).containsExactly(newer.metadataFileLocation());
    assertThat(cache.weight()).isEqualTo(MetadataWeight.of(newer));
  }

  private static TableMetadata withLocation(TableMetadata metadata, String location) {
    return TableMetadata.buildFrom(metadata).withMetadataLocation(location).discardChanges().build();
  }

  /**
   * Metadata files are immutable, so a catalog serves a table whose pointer has not moved from its cache without
   * asking the object store; a deleted current metadata file shows on a catalog that has not cached it, after
   * invalidateTable (Spark's REFRESH TABLE), or with the cache off.
   */
  @Test
  void aDeletedMetadataFileIsServedFromCacheUntilInvalidated() {
    TableIdentifier id = TableIdentifier.of(NS, "deleted");
    try (PangolinCatalog cached = open(Map.of());
        PangolinCatalog uncached = open(Map.of(PangolinConfig.METADATA_CACHE_SIZE, "0"))) {
      Table table = cached.createTable(id, TestTables.SCHEMA);
      String metadata = location(table);
      assertThat(location(uncached.loadTable(id))).isEqualTo(metadata);
      String key = metadata.substring(("s3://" + BUCKET + "/").length());
      try (var client = LAKE.s3().client()) {
        client.deleteObject(b -> b.bucket(BUCKET).key(key));
      }
      assertThat(LAKE.s3().keys(BUCKET, key)).isEmpty();

      assertThat(location(cached.loadTable(id))).as("served from cache, no GET").isEqualTo(metadata);
      assertMissing(() -> uncached.loadTable(id), id, metadata);
      try (PangolinCatalog fresh = open(Map.of())) {
        assertMissing(() -> fresh.loadTable(id), id, metadata);
      }
      cached.invalidateTable(id);
      assertThat(cached.metadataCache().cachedLocations()).doesNotContain(metadata);
      assertMissing(() -> cached.loadTable(id), id, metadata);
    }
  }

  private static void assertMissing(Runnable load, TableIdentifier id, String metadata) {
    assertThatThrownBy(load::run)
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(id.toString())
        .hasMessageContaining(metadata);
  }

  private static String location(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private PangolinCatalog open(Map<String, String> extra) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.putAll(extra);
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", props);
    return catalog;
  }
}
