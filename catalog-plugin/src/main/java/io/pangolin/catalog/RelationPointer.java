package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.warehouse.WarehouseFileIO;
import io.pangolin.warehouse.WarehouseStorage;
import io.pangolin.metastore.relations.Pointer;
import io.pangolin.metastore.relations.RelationKind;
import io.pangolin.metastore.relations.RelationStore;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.io.FileIO;

/**
 * What table and view operations share: the pointer of one relation in the catalog database, the warehouse
 * FileIO that the pointer's warehouse configuration version selects, reading and writing its metadata files
 * with storage failures named, and its {@link PointerCommit}.
 */
final class RelationPointer {

  /** Attempts at reading a metadata file; storage failures (credentials, access) are not retried. */
  static final int METADATA_READ_RETRIES = 3;

  /** Which read failures Iceberg retries. */
  static final Predicate<Exception> RETRYABLE = e -> !WarehouseStorage.isStorageFailure(e);

  private final TableIdentifier id;
  private final String fullName;
  private final RelationKind kind;
  private final RelationStore store;
  private final WarehouseStorage storage;
  private final PointerCommit commit;
  private final DropNotes dropNotes;
  private WarehouseFileIO io;
  private RefSafeFileIO guarded;

  RelationPointer(TableIdentifier id, String fullName, RelationKind kind, RelationStore store,
      WarehouseStorage storage, DropNotes dropNotes) {
    this.id = requireNonNull(id, "id");
    this.fullName = requireNonNull(fullName, "fullName");
    this.kind = requireNonNull(kind, "kind");
    this.store = requireNonNull(store, "store");
    this.storage = requireNonNull(storage, "storage");
    this.commit = new PointerCommit(store, id, kind);
    this.dropNotes = requireNonNull(dropNotes, "dropNotes");
  }

  /** Why the pointer is gone, when the graveyard knows: "" or a sentence naming how to restore it. */
  String dropNote() {
    return dropNotes.note(id, kind);
  }

  /** A table's FileIO refuses deletes while another branch or tag needs the table's files ({@link RefSafeFileIO}). */
  FileIO io() {
    if (io == null) {
      io = storage.io();
    }
    if (kind != RelationKind.TABLE) {
      return io;
    }
    if (guarded == null || guarded.delegate() != io) {
      guarded = new RefSafeFileIO(io, fullName, () -> store.otherHolders(id, false));
    }
    return guarded;
  }

  /** Refuses a change on a tag, or outside a branch's namespaces, before any metadata file is written for it. */
  void requireWritable() {
    store.requireWritable("commit to " + kind.label() + " " + fullName, id.namespace());
  }

  String fullName() {
    return fullName;
  }

  WarehouseStorage storage() {
    return storage;
  }

  PointerCommit commit() {
    return commit;
  }

  /**
   * The current metadata location, or empty when no relation of this kind has the name. Switches {@link #io()}
   * to the FileIO of the warehouse configuration the pointer was read with.
   */
  Optional<String> load() {
    Optional<Pointer> pointer = store.loadPointer(id).filter(p -> p.kind() == kind);
    pointer.ifPresent(p -> io = storage.io(p.warehouseConfigVersion()));
    return pointer.map(Pointer::metadataLocation);
  }

  /** Whether the pointer holds {@code location} now. */
  boolean isCurrent(String location) {
    return store.currentPointer(id).map(p -> p.metadataLocation().equals(location)).orElse(false);
  }

  /** Runs {@code refresh}, which reads {@code location}; a missing file is named with what to do about it. */
  void read(String location, Runnable refresh) {
    try {
      storage.guard("read metadata of " + kind.label() + " " + fullName, () -> {
        refresh.run();
        return null;
      });
    } catch (NotFoundException e) {
      throw new NotFoundException(e, "%s %s points to metadata file %s, which does not exist in its warehouse%s",
          kind == RelationKind.TABLE ? "Table" : "View", fullName, location, kind == RelationKind.TABLE
              ? ". Restore the file, or drop the table (without purge) and register it again from an existing"
                  + " metadata file"
              : "");
    }
  }

  /** Runs {@code write}, which writes a new metadata file and returns its location. */
  String write(Supplier<String> write) {
    requireWritable();
    return storage.guard("write metadata of " + kind.label() + " " + fullName, write);
  }
}
