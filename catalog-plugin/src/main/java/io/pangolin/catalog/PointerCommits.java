package io.pangolin.catalog;

import io.pangolin.store.CatalogStore;
import io.pangolin.store.RelationKind;
import io.pangolin.store.StoreUnavailableException;
import io.pangolin.store.SwapResult;
import java.util.function.Supplier;
import org.apache.iceberg.BaseMetastoreOperations.CommitStatus;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of every table and view commit, after the new metadata.json is written: record it in the
 * catalog database, and decide what the outcome means for that file. The file is deleted only when the commit
 * certainly failed; when the outcome cannot be known it is kept and the engine gets
 * {@link CommitStateUnknownException}, so that nothing it may already point to is lost.
 */
final class PointerCommits {

  private static final Logger LOG = LoggerFactory.getLogger(PointerCommits.class);

  private PointerCommits() {}

  static void create(CatalogStore store, TableIdentifier id, RelationKind kind, String newLocation, FileIO io,
      boolean ownsFile) {
    try {
      store.createRelation(id, kind, newLocation);
    } catch (AlreadyExistsException | NoSuchNamespaceException e) {
      if (ownsFile) {
        deleteQuietly(io, newLocation);
      }
      throw e;
    } catch (StoreUnavailableException e) {
      // The INSERT may have been applied before the connection broke; the pointer tells.
      if (!newLocation.equals(store.loadPointer(id).map(p -> p.metadataLocation()).orElse(null))) {
        throw new CommitStateUnknownException(e);
      }
    }
  }

  /**
   * Swaps the pointer from {@code expected} to {@code newLocation}. {@code landed} says, after a lost answer
   * has been settled, whether the new location is now the current one or in the history after it. Returns true
   * when the swap was answered directly, false when it was settled after a lost answer (the caller's view of
   * the relation has then been refreshed by {@code landed}).
   */
  static boolean swap(CatalogStore store, TableIdentifier id, RelationKind kind, String expected,
      String newLocation, FileIO io, Supplier<CommitStatus> landed) {
    SwapResult result = store.swap(id, kind, expected, newLocation);
    switch (result.outcome()) {
      case SWAPPED -> {
        return true;
      }
      case CONFLICT -> {
        deleteQuietly(io, newLocation);
        throw new CommitFailedException(
            "Cannot commit to %s %s: another writer committed first (the catalog no longer points to %s)",
            kind.label(), id, expected);
      }
      case ABORTED -> {
        deleteQuietly(io, newLocation);
        throw new CommitFailedException(result.cause(),
            "Cannot commit to %s %s: the catalog database gave up waiting for it (another session held the table's"
                + " row past the commit's time limit) and rolled it back; retry", kind.label(), id);
      }
      case UNKNOWN -> {
        settle(store, id, kind, newLocation, io, landed, result);
        return false;
      }
      default -> throw new IllegalStateException("Unknown swap outcome " + result.outcome());
    }
  }

  private static void settle(CatalogStore store, TableIdentifier id, RelationKind kind, String newLocation,
      FileIO io, Supplier<CommitStatus> landed, SwapResult result) {
    LOG.warn("Lost the answer to a commit to {} {}; settling it by the fate of its transaction", kind.label(), id);
    CommitStatus status = switch (store.settleLostSwap(result)) {
      // Committed: the UPDATE matched the row (the new location is current or in the history after it) or it
      // matched nothing because another writer had committed first.
      case COMMITTED -> landed.get();
      case ABORTED -> CommitStatus.FAILURE;
      case UNKNOWN -> CommitStatus.UNKNOWN;
    };
    switch (status) {
      case SUCCESS -> LOG.info("Commit to {} {} had landed before its answer was lost", kind.label(), id);
      case FAILURE -> {
        deleteQuietly(io, newLocation);
        throw new CommitFailedException(result.cause(),
            "Cannot commit to %s %s: the connection broke and the change was not applied; retry", kind.label(), id);
      }
      case UNKNOWN -> throw new CommitStateUnknownException(result.cause());
    }
  }

  private static void deleteQuietly(FileIO io, String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete uncommitted metadata file {}: {}", location, e.getMessage());
    }
  }
}
