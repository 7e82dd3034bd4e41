package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.storage.WarehouseStorage;
import io.pangolin.store.CatalogStore;
import io.pangolin.store.Pointer;
import io.pangolin.store.RelationKind;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.BaseViewOperations;
import org.apache.iceberg.view.ViewMetadata;

/** Loads and commits one view: metadata.json in the warehouse, its pointer in PostgreSQL. */
final class PangolinViewOperations extends BaseViewOperations {

  private final TableIdentifier id;
  private final String fullName;
  private final CatalogStore store;
  private final WarehouseStorage storage;
  private FileIO io;

  PangolinViewOperations(TableIdentifier id, String fullName, CatalogStore store, WarehouseStorage storage) {
    this.id = requireNonNull(id, "id");
    this.fullName = requireNonNull(fullName, "fullName");
    this.store = requireNonNull(store, "store");
    this.storage = requireNonNull(storage, "storage");
  }

  @Override
  protected FileIO io() {
    if (io == null) {
      io = storage.io();
    }
    return io;
  }

  @Override
  protected String viewName() {
    return fullName;
  }

  @Override
  protected void doRefresh() {
    Optional<Pointer> pointer = store.loadPointer(id).filter(p -> p.kind() == RelationKind.VIEW);
    if (pointer.isEmpty()) {
      if (currentMetadataLocation() != null) {
        throw new NoSuchViewException("View does not exist: %s (dropped by another process)", id);
      }
      disableRefresh();
      return;
    }
    io = storage.io(pointer.get().warehouseConfigVersion());
    String location = pointer.get().metadataLocation();
    try {
      storage.guard("read metadata of view " + fullName, () -> {
        refreshFromMetadataLocation(location, e -> !WarehouseStorage.isStorageFailure(e), 3);
        return null;
      });
    } catch (NotFoundException e) {
      throw new NotFoundException(e, "View %s points to metadata file %s, which does not exist in its warehouse",
          fullName, location);
    }
  }

  @Override
  protected void doCommit(ViewMetadata base, ViewMetadata metadata) {
    storage.requireAllowed(metadata.location(), "view " + fullName);
    String newLocation = storage.guard("write metadata of view " + fullName,
        () -> writeNewMetadataIfRequired(metadata));
    if (base == null) {
      PointerCommits.create(store, id, RelationKind.VIEW, newLocation, io(), true);
    } else {
      PointerCommits.swap(store, id, RelationKind.VIEW, base.metadataFileLocation(), newLocation, io(),
          () -> checkCommitStatusStrict(viewName(), newLocation, Map.of(), () -> isCurrent(newLocation)));
    }
  }

  private boolean isCurrent(String location) {
    return store.loadPointer(id).map(p -> p.metadataLocation().equals(location)).orElse(false);
  }

}
