package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.storage.WarehouseStorage;
import io.pangolin.store.CatalogStore;
import io.pangolin.store.Pointer;
import io.pangolin.store.RelationKind;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;

/** Loads and commits one table: metadata.json in the warehouse, its pointer in PostgreSQL. */
final class PangolinTableOperations extends BaseMetastoreTableOperations {

  private static final int METADATA_READ_RETRIES = 3;

  private final TableIdentifier id;
  private final String fullName;
  private final CatalogStore store;
  private final WarehouseStorage storage;
  private final MetadataCache cache;
  private FileIO io;
  private TableMetadata committed;

  PangolinTableOperations(
      TableIdentifier id, String fullName, CatalogStore store, WarehouseStorage storage, MetadataCache cache) {
    this.id = requireNonNull(id, "id");
    this.fullName = requireNonNull(fullName, "fullName");
    this.store = requireNonNull(store, "store");
    this.storage = requireNonNull(storage, "storage");
    this.cache = requireNonNull(cache, "cache");
  }

  @Override
  public FileIO io() {
    if (io == null) {
      io = storage.io();
    }
    return io;
  }

  @Override
  protected String tableName() {
    return fullName;
  }

  @Override
  protected void doRefresh() {
    Optional<Pointer> pointer = store.loadPointer(id).filter(p -> p.kind() == RelationKind.TABLE);
    if (pointer.isEmpty()) {
      cache.invalidate(id);
      if (currentMetadataLocation() != null) {
        throw new NoSuchTableException("Table does not exist: %s (dropped by another process)", id);
      }
      disableRefresh();
      return;
    }
    io = storage.io(pointer.get().warehouseConfigVersion());
    String location = pointer.get().metadataLocation();
    try {
      storage.guard("read metadata of table " + fullName, () -> {
        refreshFromMetadataLocation(location, e -> !WarehouseStorage.isStorageFailure(e),
            METADATA_READ_RETRIES, loc -> cache.table(id, loc, io));
        return null;
      });
    } catch (NotFoundException e) {
      throw new NotFoundException(e, "Table %s points to metadata file %s, which does not exist in its warehouse."
          + " Restore the file, or drop the table (without purge) and register it again from an existing"
          + " metadata file", fullName, location);
    }
  }

  @Override
  protected void doCommit(TableMetadata base, TableMetadata metadata) {
    String what = "table " + fullName;
    requireLocationsAllowed(metadata, what);
    boolean newTable = base == null;
    boolean writesFile = !newTable || metadata.metadataFileLocation() == null;
    String newLocation = storage.guard("write metadata of " + what,
        () -> writeNewMetadataIfRequired(newTable, metadata));
    boolean answered = true;
    if (newTable) {
      PointerCommits.create(store, id, RelationKind.TABLE, newLocation, io(), writesFile);
    } else {
      answered = PointerCommits.swap(store, id, RelationKind.TABLE, base.metadataFileLocation(), newLocation, io(),
          () -> checkCommitStatusStrict(newLocation, metadata));
    }
    if (answered) {
      // The metadata just written is exactly what the file holds; keep it rather than read the file back.
      this.committed = TableMetadata.buildFrom(metadata).withMetadataLocation(newLocation).discardChanges().build();
      cache.put(id, committed);
    }
  }

  /**
   * Every location the metadata steers writes to: the table location, the data and metadata paths (also under
   * their deprecated names), and the metadata file itself when it is registered rather than written here.
   */
  @SuppressWarnings("deprecation")
  private void requireLocationsAllowed(TableMetadata metadata, String what) {
    storage.requireAllowed(metadata.location(), what);
    Map<String, String> props = metadata.properties();
    storage.requireAllowed(props.get(TableProperties.WRITE_DATA_LOCATION), what + " data");
    storage.requireAllowed(props.get(TableProperties.OBJECT_STORE_PATH), what + " data");
    storage.requireAllowed(props.get(TableProperties.WRITE_FOLDER_STORAGE_LOCATION), what + " data");
    storage.requireAllowed(props.get(TableProperties.WRITE_METADATA_LOCATION), what + " metadata");
    storage.requireAllowed(metadata.metadataFileLocation(), what + " metadata file");
  }

  /**
   * After a commit Iceberg asks for a refresh, which would read the pointer just written. The swap's own answer
   * already says what the pointer holds, so the table's state is set from the committed metadata instead.
   */
  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    committed = null;
    super.commit(base, metadata);
    TableMetadata justCommitted = committed;
    if (justCommitted != null) {
      committed = null;
      refreshFromMetadataLocation(justCommitted.metadataFileLocation(), null, 0, location -> justCommitted);
    }
  }
}
