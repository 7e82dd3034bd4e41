package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.relations.PointerMove;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.metastore.relations.SwapAllResult;
import io.pangolin.metastore.relations.SwapResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A commit to several tables that lands whole or not at all (the REST catalog's {@code transactions/commit}). Each
 * table is loaded as the acting principal, its requirements are checked against that metadata and its updates
 * applied; only when every table passed are the new metadata files written, and then every pointer moves in one
 * PostgreSQL transaction ({@link RelationStore#swapAll}). Whatever fails, the files written are deleted, except
 * when the transaction's fate cannot be learned: then they are kept and the caller gets
 * {@link CommitStateUnknownException}, as for one table ({@link PointerCommit}).
 *
 * <p>No retry: a table another writer moved in between fails the whole commit, naming the table, and the client
 * retries with fresh requirements.
 */
final class MultiTableCommit {

  private static final Logger LOG = LoggerFactory.getLogger(MultiTableCommit.class);

  /** One table's change, checked and applied to the metadata it was loaded with; {@code location} once written. */
  private record Change(TableIdentifier id, PangolinTableOperations ops, TableMetadata base, TableMetadata next,
      String location) {

    Change written(String newLocation) {
      return new Change(id, ops, base, next, newLocation);
    }

    PointerMove move() {
      return new PointerMove(id, base.metadataFileLocation(), location);
    }
  }

  private final RelationStore store;
  private final Function<TableIdentifier, PangolinTableOperations> tables;

  MultiTableCommit(RelationStore store, Function<TableIdentifier, PangolinTableOperations> tables) {
    this.store = requireNonNull(store, "store");
    this.tables = requireNonNull(tables, "tables");
  }

  void commit(List<TableCommit> commits) {
    requireNonNull(commits, "commits");
    requireDistinct(commits);
    store.endReadSnapshot();
    List<Change> changes = new ArrayList<>();
    for (TableCommit commit : commits) {
      Change change = apply(commit);
      if (!change.next().changes().isEmpty()) {
        changes.add(change);
      }
    }
    List<Change> written = write(changes);
    if (written.isEmpty()) {
      return;
    }
    boolean knowsCurrent = swap(written);
    for (Change change : written) {
      change.ops().landed(change.base(), change.next(), change.location(), knowsCurrent);
    }
  }

  private static void requireDistinct(List<TableCommit> commits) {
    Set<TableIdentifier> seen = new HashSet<>();
    for (TableCommit commit : commits) {
      TableIdentifier id = requireNonNull(commit.identifier(), "a table change without a table");
      if (!seen.add(id)) {
        throw new IllegalArgumentException("Cannot commit to table " + id + " twice in one transaction: merge its"
            + " requirements and updates into one change");
      }
    }
  }

  /** Loads the table as it is now, checks the change's requirements against it and applies its updates. */
  private Change apply(TableCommit commit) {
    TableIdentifier id = commit.identifier();
    PangolinTableOperations ops = tables.apply(id);
    TableMetadata base = ops.current();
    if (base == null) {
      throw new NoSuchTableException("Cannot commit to table %s: it does not exist (a multi-table commit changes"
          + " existing tables only; create it first)", id);
    }
    try {
      for (UpdateRequirement requirement : commit.requirements()) {
        requirement.validate(base);
      }
    } catch (CommitFailedException e) {
      throw new CommitFailedException(e, "Cannot commit to table %s: %s; nothing of the transaction was applied",
          id, e.getMessage());
    }
    TableMetadata.Builder builder = TableMetadata.buildFrom(base);
    for (MetadataUpdate update : commit.updates()) {
      update.applyTo(builder);
    }
    return new Change(id, ops, base, builder.build(), null);
  }

  /** Writes each table's new metadata file; a failure deletes the ones already written. */
  private static List<Change> write(List<Change> changes) {
    List<Change> written = new ArrayList<>();
    try {
      for (Change change : changes) {
        written.add(change.written(change.ops().writeNext(change.next())));
      }
      return written;
    } catch (RuntimeException e) {
      deleteAll(written);
      throw e;
    }
  }

  /** Moves every pointer; returns whether the database answered (so the new metadata is known to be current). */
  private boolean swap(List<Change> written) {
    SwapAllResult result;
    try {
      result = store.swapAll(written.stream().map(Change::move).toList());
    } catch (RuntimeException e) {
      // Refused or failed before the transaction could commit: no pointer moved.
      deleteAll(written);
      throw e;
    }
    SwapResult swap = result.result();
    if (swap.outcome() == SwapResult.Outcome.SWAPPED) {
      return true;
    }
    if (swap.outcome() == SwapResult.Outcome.UNKNOWN && result.stoppedAt() == null) {
      return settle(written, swap);
    }
    deleteAll(written);
    throw failure(result.stoppedAt() != null ? result.stoppedAt().id().toString() : names(written), result);
  }

  /** The answer to the COMMIT was lost: every swap had answered 1, so the transaction's fate is the commit's. */
  private boolean settle(List<Change> written, SwapResult lost) {
    LOG.warn("Lost the answer to a commit to tables {}; settling it by the fate of its transaction",
        names(written));
    switch (store.settleLostSwap(lost)) {
      case COMMITTED -> {
        LOG.info("Commit to tables {} had landed before its answer was lost", names(written));
        return false;
      }
      case ABORTED -> {
        deleteAll(written);
        throw new CommitFailedException(lost.cause(), "Cannot commit to tables %s: the connection broke and the"
            + " transaction was rolled back; nothing was applied; retry", names(written));
      }
      default -> throw new CommitStateUnknownException(lost.cause());
    }
  }

  private static CommitFailedException failure(String table, SwapAllResult stopped) {
    SwapResult result = stopped.result();
    return switch (result.outcome()) {
      case CONFLICT -> new CommitFailedException("Cannot commit to table %s: another writer committed first (the"
          + " catalog no longer points to %s); nothing of the transaction was applied", table,
          stopped.stoppedAt().expected());
      case ABORTED -> new CommitFailedException(result.cause(), "Cannot commit to table %s: the catalog database"
          + " rolled the transaction back (another session held the table's row past the commit's time limit, or"
          + " the commit could not be serialized); nothing was applied; retry", table);
      default -> new CommitFailedException(result.cause(), "Cannot commit to table %s: the connection broke before"
          + " the transaction was committed; nothing was applied; retry", table);
    };
  }

  private static String names(List<Change> changes) {
    return changes.stream().map(c -> c.id().toString()).collect(Collectors.joining(", "));
  }

  private static void deleteAll(List<Change> written) {
    for (Change change : written) {
      PointerCommit.deleteQuietly(change.ops().io(), change.location());
    }
  }
}
