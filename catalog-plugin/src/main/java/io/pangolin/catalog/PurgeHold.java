package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.relations.RelationKind;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.warehouse.DeleteGuard;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds back an engine's own purge of a table this catalog has just dropped. Spark's {@code DROP TABLE ... PURGE}
 * asks the catalog for a plain drop and then deletes every reachable file through the table's FileIO; here those
 * deletes are kept, and the table's graveyard row is marked for purge instead, so that its files are deleted only
 * by 'pangolin gc' once the retention ends, and the table can be restored until then.
 */
final class PurgeHold implements DeleteGuard {

  private static final Logger LOG = LoggerFactory.getLogger(PurgeHold.class);

  private final Graveyard graveyard;
  private final CatalogBinding binding;
  /** Location prefix (ending in '/') of each table dropped through this catalog instance. */
  private final Map<String, TableIdentifier> dropped = new ConcurrentHashMap<>();
  private final Map<String, Boolean> marked = new ConcurrentHashMap<>();

  PurgeHold(Graveyard graveyard, CatalogBinding binding) {
    this.graveyard = requireNonNull(graveyard, "graveyard");
    this.binding = requireNonNull(binding, "binding");
  }

  /** The table's current metadata, or null when it does not exist or its metadata cannot be read. */
  static TableMetadata currentOf(TableOperations ops) {
    try {
      return ops.current();
    } catch (NotFoundException e) {
      LOG.warn("Dropping a table whose metadata cannot be read: {}", e.getMessage());
      return null;
    }
  }

  /**
   * Deletes the files of a table just dropped with PURGE on a branch, where the graveyard keeps no purged drop;
   * the caller has checked that no other ref shows the table, and the table's FileIO refuses deletes otherwise.
   */
  static void purgeBranchOnlyTable(TableOperations ops, TableMetadata last, String table) {
    // Confined as gc's purge is: only under the table's own recorded location, whatever its metadata claims.
    java.util.Optional<String> root = ConfinedPurge.recordedRoot(last.metadataFileLocation());
    if (root.isEmpty()) {
      LOG.warn("Dropped table {} but purged none of its files: its metadata file {} is not in a metadata/ directory,"
          + " so its own location is unknown", table, last.metadataFileLocation());
      return;
    }
    try {
      ConfinedPurge.Plan plan = ConfinedPurge.plan(ops.io(), last, root.get());
      plan.execute(ops.io());
      if (!plan.outside().isEmpty()) {
        LOG.warn("Purged dropped table {}: {}", table, plan.describe("deleted"));
      }
    } catch (RuntimeException e) {
      // The table is gone from the branch either way; what could not be purged stays where it is.
      LOG.warn("Dropped table {} but could not purge all of its files: {}", table, e.getMessage());
    }
  }

  /**
   * Drops the pointer only; the database keeps the table in its graveyard for the catalog's retention. With
   * {@code purge}, its files are deleted by the next 'pangolin gc' after the retention ends, never here: until
   * then it can be restored with its history. An engine that deletes the files itself after a plain drop is held
   * back by this guard, which needs the table's location, read here (from the cache when it is there).
   * On a branch the graveyard keeps plain drops only: a purge there deletes at once the files of a table no other
   * ref shows, and is refused while one does.
   */
  boolean dropTable(RelationStore store, TableOperations ops, TableIdentifier id, String fullName, boolean purge) {
    if (purge) {
      store.requireSoleHolder(id, fullName);
    }
    TableMetadata last = PurgeHold.currentOf(ops);
    boolean dropped = store.dropRelation(id, RelationKind.TABLE, purge);
    if (dropped && last != null) {
      if (store.ref().isMain()) {
        dropped(id, last.location());
        ConfinedPurge.recordedRoot(last.metadataFileLocation()).ifPresent(root -> dropped(id, root));
      } else if (purge) {
        PurgeHold.purgeBranchOnlyTable(ops, last, fullName);
      }
    }
    return dropped;
  }

  void dropped(TableIdentifier id, String tableLocation) {
    dropped.put(prefix(tableLocation), id);
  }

  @Override
  public boolean mayDelete(String location) {
    for (Map.Entry<String, TableIdentifier> e : dropped.entrySet()) {
      if (location.startsWith(e.getKey())) {
        hold(e.getKey(), e.getValue());
        return false;
      }
    }
    return true;
  }

  private void hold(String prefix, TableIdentifier id) {
    if (marked.putIfAbsent(prefix, Boolean.TRUE) == null) {
      graveyard.requestPurge(binding.catalogId(), List.of(id.namespace().levels()), id.name());
      LOG.info("Kept the files of dropped table {}.{} under {}: 'pangolin gc' deletes them when its retention ends,"
          + " and until then it can be restored with 'pangolin table undrop'", binding.catalog(), id, prefix);
    }
  }

  private static String prefix(String location) {
    return location.endsWith("/") ? location : location + "/";
  }
}
