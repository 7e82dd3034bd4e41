package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.view.BaseViewOperations;
import org.apache.iceberg.view.ViewMetadata;

/** Loads and commits one view: metadata.json in the warehouse, its pointer in PostgreSQL. */
final class PangolinViewOperations extends BaseViewOperations {

  private final TableIdentifier id;
  private final RelationPointer pointer;

  PangolinViewOperations(TableIdentifier id, RelationPointer pointer) {
    this.id = requireNonNull(id, "id");
    this.pointer = requireNonNull(pointer, "pointer");
  }

  @Override
  protected FileIO io() {
    return pointer.io();
  }

  @Override
  protected String viewName() {
    return pointer.fullName();
  }

  @Override
  protected void doRefresh() {
    Optional<String> location = pointer.load();
    if (location.isEmpty()) {
      if (currentMetadataLocation() != null) {
        throw new NoSuchViewException("View does not exist: %s (dropped by another process)%s", id,
            pointer.dropNote());
      }
      disableRefresh();
      return;
    }
    pointer.read(location.get(), () -> refreshFromMetadataLocation(location.get(), RelationPointer.RETRYABLE,
        RelationPointer.METADATA_READ_RETRIES));
  }

  /** The outcome needs no handling here: Iceberg reads the view again after every commit (see PointerCommit). */
  @Override
  protected void doCommit(ViewMetadata base, ViewMetadata metadata) {
    pointer.storage().requireAllowed(metadata.location(), "view " + pointer.fullName());
    String newLocation = pointer.write(() -> writeNewMetadataIfRequired(metadata));
    if (base == null) {
      pointer.commit().create(newLocation, io(), true);
    } else {
      pointer.commit().swap(base.metadataFileLocation(), newLocation, io(),
          () -> checkCommitStatusStrict(viewName(), newLocation, Map.of(), () -> pointer.isCurrent(newLocation)));
    }
  }
}
