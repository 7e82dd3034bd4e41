package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.graveyard.Graveyard.Dropped;
import io.pangolin.warehouse.StorageResolver;
import io.pangolin.warehouse.WarehouseConfig;
import io.pangolin.warehouse.WarehouseFileIO;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.exceptions.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 'pangolin gc': collects the graveyard rows whose retention has ended. A table dropped with PURGE has its files
 * deleted first, through its warehouse's FileIO (so nothing outside the warehouse is touched), and only those under
 * the table's own recorded location (the directory above its recorded metadata file's {@code metadata/}), whatever
 * its metadata claims, and only when no other pointer or ref of the tenant uses that location
 * ({@link ConfinedPurge}); every other row is only forgotten. The only place Pangolin deletes a table's files.
 */
public final class GarbageCollector {

  /** What gc did (or, in a dry run, would do) with one graveyard row. */
  public enum Action {
    /** Files deleted, row forgotten. */
    PURGED,
    /** Row forgotten; files left alone (dropped without purge, or already gone). */
    FORGOTTEN,
    /** Nothing done: another pointer still references the table's files. */
    IN_USE,
    /** Nothing done: the storage or the database failed; the next run tries again. */
    FAILED
  }

  public record Outcome(Dropped dropped, Action action, String detail) {}

  /** The catalogs gc looked at and what it did with each due row. */
  public record Report(boolean dryRun, List<String> catalogs, List<Outcome> outcomes) {
    public Report {
      catalogs = List.copyOf(catalogs);
      outcomes = List.copyOf(outcomes);
    }

    /** True when every due row was (or would be) collected. */
    public boolean complete() {
      return outcomes.stream().noneMatch(o -> o.action() == Action.IN_USE || o.action() == Action.FAILED);
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

  private final Graveyard graveyard;
  private final LongFunction<WarehouseConfig> warehouses;
  private final StorageResolver resolver;

  public GarbageCollector(Graveyard graveyard, LongFunction<WarehouseConfig> warehouses, StorageResolver resolver) {
    this.graveyard = requireNonNull(graveyard, "graveyard");
    this.warehouses = requireNonNull(warehouses, "warehouses");
    this.resolver = requireNonNull(resolver, "resolver");
  }

  /** Refuses before touching anything unless the principal holds GC on the catalogs named. */
  public Report run(String tenant, Optional<String> catalog, boolean dryRun) {
    List<String> catalogs = graveyard.requireGc(tenant, catalog);
    List<Outcome> outcomes = new ArrayList<>();
    Map<Long, WarehouseFileIO> ios = new HashMap<>();
    try {
      for (Dropped dropped : graveyard.dueForGc(tenant, catalog)) {
        outcomes.add(collect(dropped, dryRun, ios));
      }
    } finally {
      ios.values().forEach(WarehouseFileIO::close);
    }
    return new Report(dryRun, catalogs, outcomes);
  }

  private Outcome collect(Dropped dropped, boolean dryRun, Map<Long, WarehouseFileIO> ios) {
    try {
      if (!dropped.purgeRequested()) {
        return forget(dropped, dryRun, "dropped without purge: its files are left alone");
      }
      WarehouseFileIO io = ios.computeIfAbsent(dropped.warehouseId(),
          id -> new WarehouseFileIO(resolver.resolve(warehouses.apply(id))));
      Optional<String> recorded = ConfinedPurge.recordedRoot(dropped.metadataLocation());
      if (recorded.isEmpty()) {
        return new Outcome(dropped, Action.FAILED, "kept: its metadata file " + dropped.metadataLocation()
            + " is not in a metadata/ directory, so gc cannot tell which location is the table's own; delete its"
            + " files by hand, then restore and drop it without purge so that gc only forgets it");
      }
      String root = recorded.get();
      TableMetadata metadata;
      try {
        metadata = TableMetadataParser.read(io, dropped.metadataLocation());
      } catch (NotFoundException e) {
        return forget(dropped, dryRun, "its metadata file " + dropped.metadataLocation() + " is already gone");
      }
      if (graveyard.locationInUse(root, dropped.id())) {
        return new Outcome(dropped, Action.IN_USE, "kept: another table or view (live or dropped) still points into "
            + root + "; drop it, or restore this one with 'pangolin table undrop --id "
            + dropped.id() + " --as NAMESPACE.NAME', before its files can be deleted");
      }
      ConfinedPurge.Plan plan = ConfinedPurge.plan(io, metadata, root);
      if (!plan.outside().isEmpty()) {
        LOG.warn("gc of dropped table {} (graveyard id {}) leaves alone {} file(s) its metadata lists outside its own"
            + " location {}: {}", dropped.qualifiedName(), dropped.id(), plan.outside().size(), root, plan.outside());
      }
      if (!dryRun) {
        plan.execute(io);
        graveyard.collect(dropped, true);
      }
      return new Outcome(dropped, Action.PURGED, plan.describe(dryRun ? "would be deleted" : "deleted"));
    } catch (RuntimeException e) {
      // A refusal is the login's, not this table's: it stops the run rather than being reported as one failure.
      if (e instanceof RefusedException || e instanceof org.apache.iceberg.exceptions.ForbiddenException) {
        throw e;
      }
      return new Outcome(dropped, Action.FAILED, e.getMessage());
    }
  }

  private Outcome forget(Dropped dropped, boolean dryRun, String why) {
    if (!dryRun) {
      graveyard.collect(dropped, false);
    }
    return new Outcome(dropped, Action.FORGOTTEN, why);
  }
}
