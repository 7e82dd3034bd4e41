package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.relations.RelationKind;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.metastore.StoreUnavailableException;
import io.pangolin.metastore.relations.SwapResult;
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
 * The commit protocol of one table or view, after its new metadata.json is written: record the file in the
 * catalog database and decide the {@link CommitOutcome}. The file is deleted only when the commit certainly
 * failed; when the outcome cannot be known it is kept and the engine gets {@link CommitStateUnknownException},
 * so that nothing it may already point to is lost.
 *
 * <p>What the caller's state is afterwards relies on Iceberg: after {@code doCommit} returns, both
 * {@code BaseMetastoreTableOperations.commit} and {@code BaseViewOperations.commit} request a refresh, so the
 * next {@code current()} reads the pointer again. That re-read is what makes {@link CommitOutcome#LOST_LANDED}
 * correct (another writer may have committed on top). On {@link CommitOutcome#ANSWERED} the committed metadata
 * is known to be current, and table operations set it directly instead of paying for that re-read
 * ({@code PangolinTableOperations.commit}). {@code PointerCommitTest} covers every outcome.
 */
final class PointerCommit {

  private static final Logger LOG = LoggerFactory.getLogger(PointerCommit.class);

  private final RelationStore store;
  private final TableIdentifier id;
  private final RelationKind kind;

  PointerCommit(RelationStore store, TableIdentifier id, RelationKind kind) {
    this.store = requireNonNull(store, "store");
    this.id = requireNonNull(id, "id");
    this.kind = requireNonNull(kind, "kind");
  }

  /**
   * Creates the pointer of a new relation. {@code ownsFile} says whether the file was written for this commit
   * (rather than registered), and so may be deleted when the name is taken or the namespace is missing.
   */
  CommitOutcome create(String newLocation, FileIO io, boolean ownsFile) {
    try {
      store.createRelation(id, kind, newLocation);
      return CommitOutcome.ANSWERED;
    } catch (AlreadyExistsException | NoSuchNamespaceException e) {
      if (ownsFile) {
        deleteQuietly(io, newLocation);
      }
      throw e;
    } catch (StoreUnavailableException e) {
      // The INSERT may have been applied before the connection broke; the pointer tells.
      if (!newLocation.equals(store.currentPointer(id).map(p -> p.metadataLocation()).orElse(null))) {
        throw new CommitStateUnknownException(e);
      }
      return CommitOutcome.LOST_LANDED;
    }
  }

  /**
   * Swaps the pointer from {@code expected} to {@code newLocation}. {@code landed} says, after a lost answer
   * has been settled as committed, whether the new location is now the current one or in the history after it.
   * Returns {@link CommitOutcome#ANSWERED} or {@link CommitOutcome#LOST_LANDED}; throws for the others.
   */
  CommitOutcome swap(String expected, String newLocation, FileIO io, Supplier<CommitStatus> landed) {
    SwapResult result = store.swap(id, kind, expected, newLocation);
    CommitOutcome outcome = switch (result.outcome()) {
      case SWAPPED -> CommitOutcome.ANSWERED;
      case CONFLICT -> CommitOutcome.CONFLICT;
      case ABORTED -> CommitOutcome.ABORTED;
      case UNKNOWN -> settle(result, landed);
    };
    return finish(outcome, expected, newLocation, io, result);
  }

  private CommitOutcome settle(SwapResult lost, Supplier<CommitStatus> landed) {
    LOG.warn("Lost the answer to a commit to {} {}; settling it by the fate of its transaction", kind.label(), id);
    CommitStatus status = switch (store.settleLostSwap(lost)) {
      // Committed: the UPDATE matched the row (the new location is current or in the history after it) or it
      // matched nothing because another writer had committed first.
      case COMMITTED -> landed.get();
      case ABORTED -> CommitStatus.FAILURE;
      case UNKNOWN -> CommitStatus.UNKNOWN;
    };
    return switch (status) {
      case SUCCESS -> CommitOutcome.LOST_LANDED;
      case FAILURE -> CommitOutcome.LOST_NOT_LANDED;
      case UNKNOWN -> CommitOutcome.UNKNOWN;
    };
  }

  private CommitOutcome finish(CommitOutcome outcome, String expected, String newLocation, FileIO io,
      SwapResult result) {
    switch (outcome) {
      case ANSWERED -> {
        return outcome;
      }
      case LOST_LANDED -> {
        LOG.info("Commit to {} {} had landed before its answer was lost", kind.label(), id);
        return outcome;
      }
      case UNKNOWN -> throw new CommitStateUnknownException(result.cause());
      default -> {
        deleteQuietly(io, newLocation);
        throw failure(outcome, expected, result);
      }
    }
  }

  private CommitFailedException failure(CommitOutcome outcome, String expected, SwapResult result) {
    return switch (outcome) {
      case CONFLICT -> new CommitFailedException(
          "Cannot commit to %s %s: another writer committed first (the catalog no longer points to %s)",
          kind.label(), id, expected);
      case ABORTED -> new CommitFailedException(result.cause(),
          "Cannot commit to %s %s: the catalog database gave up waiting for it (another session held the table's"
              + " row past the commit's time limit) and rolled it back; retry", kind.label(), id);
      default -> new CommitFailedException(result.cause(),
          "Cannot commit to %s %s: the connection broke and the change was not applied; retry", kind.label(), id);
    };
  }

  /** Deletes a metadata file no pointer holds; a failure leaves an orphan for orphan-file removal, and is logged. */
  static void deleteQuietly(FileIO io, String location) {
    try {
      io.deleteFile(location);
    } catch (RuntimeException e) {
      LOG.warn("Cannot delete uncommitted metadata file {}: {}", location, e.getMessage());
    }
  }
}
