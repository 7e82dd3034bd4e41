package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.relations.RelationKind;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.BaseMetastoreTableOperations;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;

/** Loads and commits one table: metadata.json in the warehouse, its pointer in PostgreSQL. */
final class PangolinTableOperations extends BaseMetastoreTableOperations {

  private final TableIdentifier id;
  private final RelationPointer pointer;
  private final MetadataCache cache;
  /** Set by {@link #doCommit} on {@link CommitOutcome#ANSWERED}, taken by {@link #commit}. */
  private TableMetadata answered;

  PangolinTableOperations(TableIdentifier id, RelationPointer pointer, MetadataCache cache) {
    this.id = requireNonNull(id, "id");
    this.pointer = requireNonNull(pointer, "pointer");
    this.cache = requireNonNull(cache, "cache");
  }

  @Override
  public FileIO io() {
    return pointer.io();
  }

  @Override
  protected String tableName() {
    return pointer.fullName();
  }

  @Override
  protected void doRefresh() {
    Optional<String> location = pointer.load();
    if (location.isEmpty()) {
      cache.invalidate(id);
      if (currentMetadataLocation() != null) {
        throw new NoSuchTableException("Table does not exist: %s (dropped by another process)%s", id,
            pointer.dropNote());
      }
      disableRefresh();
      return;
    }
    pointer.read(location.get(), () -> refreshFromMetadataLocation(location.get(), RelationPointer.RETRYABLE,
        RelationPointer.METADATA_READ_RETRIES, loc -> cache.table(id, loc, io())));
  }

  @Override
  protected void doCommit(TableMetadata base, TableMetadata metadata) {
    boolean newTable = base == null;
    boolean writesFile = !newTable || metadata.metadataFileLocation() == null;
    String newLocation = write(newTable, metadata);
    CommitOutcome outcome = newTable
        ? pointer.commit().create(newLocation, io(), writesFile)
        : pointer.commit().swap(base.metadataFileLocation(), newLocation, io(),
            () -> checkCommitStatusStrict(newLocation, metadata));
    if (outcome.knowsCurrent()) {
      answered = remember(metadata, newLocation);
    }
  }

  /**
   * Writes {@code metadata}, a change of this table's current metadata, as its next metadata file, for a commit
   * that moves the pointer elsewhere (several tables at once, {@link MultiTableCommit}); returns its location.
   */
  String writeNext(TableMetadata metadata) {
    return write(false, metadata);
  }

  private String write(boolean newTable, TableMetadata metadata) {
    requireLocationsAllowed(metadata, "table " + pointer.fullName());
    return pointer.write(() -> writeNewMetadataIfRequired(newTable, metadata));
  }

  /**
   * After a commit made elsewhere landed: caches the committed metadata when the database answered (it is then
   * the current one), and deletes the metadata files the table property says to drop, as Iceberg's own commit does.
   */
  void landed(TableMetadata base, TableMetadata metadata, String location, boolean knowsCurrent) {
    if (knowsCurrent) {
      remember(metadata, location);
    }
    CatalogUtil.deleteRemovedMetadataFiles(io(), base, metadata);
  }

  /** The metadata just written is exactly what the file holds; keep it rather than read the file back. */
  private TableMetadata remember(TableMetadata metadata, String location) {
    TableMetadata committed = TableMetadata.buildFrom(metadata).withMetadataLocation(location).discardChanges().build();
    cache.put(id, committed);
    return committed;
  }

  /**
   * Every location the metadata steers writes to: the table location, the data and metadata paths (also under
   * their deprecated names), and the metadata file itself when it is registered rather than written here.
   */
  @SuppressWarnings("deprecation")
  private void requireLocationsAllowed(TableMetadata metadata, String what) {
    pointer.storage().requireAllowed(metadata.location(), what);
    Map<String, String> props = metadata.properties();
    pointer.storage().requireAllowed(props.get(TableProperties.WRITE_DATA_LOCATION), what + " data");
    pointer.storage().requireAllowed(props.get(TableProperties.OBJECT_STORE_PATH), what + " data");
    pointer.storage().requireAllowed(props.get(TableProperties.WRITE_FOLDER_STORAGE_LOCATION), what + " data");
    pointer.storage().requireAllowed(props.get(TableProperties.WRITE_METADATA_LOCATION), what + " metadata");
    pointer.storage().requireAllowed(metadata.metadataFileLocation(), what + " metadata file");
  }

  /**
   * Iceberg requests a refresh after every commit (see {@link PointerCommit}), which would read the pointer just
   * written. When the database answered, the committed metadata is the current one, so it is set directly.
   */
  @Override
  public void commit(TableMetadata base, TableMetadata metadata) {
    answered = null;
    super.commit(base, metadata);
    TableMetadata justCommitted = answered;
    if (justCommitted != null) {
      answered = null;
      refreshFromMetadataLocation(justCommitted.metadataFileLocation(), null, 0, location -> justCommitted);
    }
  }
}
