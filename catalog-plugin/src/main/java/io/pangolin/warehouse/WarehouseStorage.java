package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.NotFoundException;

/**
 * The storage of the warehouse a catalog is bound to: one FileIO, reused for every table, and rebuilt when the
 * warehouse's row changes (credentials rotated, settings updated) without restarting the engine.
 */
public final class WarehouseStorage implements AutoCloseable {

  private record Current(ResolvedStorage storage, WarehouseFileIO io) {}

  private final long warehouseId;
  private final LongFunction<WarehouseConfig> loader;
  private final StorageResolver resolver;
  private final List<WarehouseFileIO> retired = new ArrayList<>();
  private volatile Current current;
  private volatile DeleteGuard deleteGuard = DeleteGuard.NONE;

  public WarehouseStorage(long warehouseId, LongFunction<WarehouseConfig> loader, StorageResolver resolver) {
    this.warehouseId = warehouseId;
    this.loader = requireNonNull(loader, "loader");
    this.resolver = requireNonNull(resolver, "resolver");
  }

  /** The warehouse's FileIO as last loaded. */
  public WarehouseFileIO io() {
    return current().io();
  }

  /** The FileIO for a configuration version just read from the database; rebuilt if the row has moved on. */
  public WarehouseFileIO io(long configVersion) {
    Current now = current();
    if (now.storage().configVersion() == configVersion) {
      return now.io();
    }
    return reload().io();
  }

  /** Applies {@code guard} to the deletes of this warehouse's FileIO, now and after every rebuild. */
  public synchronized void guardDeletes(DeleteGuard guard) {
    this.deleteGuard = requireNonNull(guard, "guard");
    Current now = current;
    if (now != null) {
      now.io().guardDeletes(guard);
    }
  }

  public ResolvedStorage storage() {
    return current().storage();
  }

  private Current current() {
    Current now = current;
    return now != null ? now : reload();
  }

  private synchronized Current reload() {
    ResolvedStorage storage = resolver.resolve(loader.apply(warehouseId));
    Current previous = current;
    if (previous != null && previous.storage().configVersion() == storage.configVersion()) {
      return previous;
    }
    if (previous != null) {
      // Tables loaded earlier may still read through it; it is closed with the catalog.
      retired.add(previous.io());
    }
    Current next = new Current(storage, new WarehouseFileIO(storage));
    next.io().guardDeletes(deleteGuard);
    current = next;
    return next;
  }

  /** Refuses a location outside the warehouse's root and its explicitly allowed locations. */
  public void requireAllowed(String location, String what) {
    ResolvedStorage storage = storage();
    new LocationPolicy(storage.warehouse(), storage.storageRoot(), storage.allowedLocations()).require(location, what);
  }

  /**
   * Runs storage work and reports a failure of the object store with the warehouse's name. Only the store's
   * own message is kept: it never carries the secret.
   */
  public <T> T guard(String what, Supplier<T> work) {
    try {
      return work.get();
    } catch (NotFoundException e) {
      throw e;
    } catch (RuntimeException e) {
      if (isStorageFailure(e)) {
        throw new StorageAccessException(
            "Cannot " + what + ": warehouse '" + storage().warehouse() + "' storage refused the request: "
                + e.getMessage() + ". Check the warehouse's endpoint and credentials ('pangolin warehouse check').",
            e);
      }
      throw e;
    }
  }

  /** True when the failure came from the object store client (the AWS SDK), which retries transient errors itself. */
  public static boolean isStorageFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getName().equals("software.amazon.awssdk.core.exception.SdkException")) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public synchronized void close() {
    retired.forEach(WarehouseFileIO::close);
    retired.clear();
    Current now = current;
    if (now != null) {
      now.io().close();
    }
  }
}
