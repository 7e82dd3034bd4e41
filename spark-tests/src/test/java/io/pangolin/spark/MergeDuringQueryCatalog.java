package io.pangolin.spark;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.encryption.EncryptionManager;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.LocationProvider;

/**
 * Pangolin's catalog with a test hook that counts pointer reads (a table load, or a refresh of a loaded table) and
 * can run an action (a merge) right after the n-th one. Spark reads a query's tables one after another, so the
 * action lands between two of them: the moment a merge running beside a reader only hits by chance.
 */
public class MergeDuringQueryCatalog extends PangolinCatalog {

  // Shared by every instance, as Spark creates them itself; one test uses them at a time.
  private static final AtomicInteger READS = new AtomicInteger();
  private static final AtomicReference<Runnable> ACTION = new AtomicReference<>();
  private static volatile int fireAt;

  /** Starts counting pointer reads from zero, with no action. */
  static void countReads() {
    ACTION.set(null);
    READS.set(0);
  }

  static int reads() {
    return READS.get();
  }

  /** Starts counting from zero and runs {@code action} once, right after read number {@code n}. */
  static void runAfterRead(int n, Runnable action) {
    fireAt = n;
    ACTION.set(requireNonNull(action, "action"));
    READS.set(0);
  }

  private static void read() {
    if (READS.incrementAndGet() == fireAt) {
      Runnable action = ACTION.getAndSet(null);
      if (action != null) {
        action.run();
      }
    }
  }

  @Override
  protected TableOperations newTableOps(TableIdentifier id) {
    return new Hooked(super.newTableOps(id));
  }

  private static final class Hooked implements TableOperations {
    private final TableOperations delegate;
    private boolean loaded;

    Hooked(TableOperations delegate) {
      this.delegate = delegate;
    }

    @Override
    public TableMetadata current() {
      TableMetadata current = delegate.current();
      if (!loaded) {
        // The first call loads the pointer.
        loaded = true;
        read();
      }
      return current;
    }

    @Override
    public TableMetadata refresh() {
      TableMetadata refreshed = delegate.refresh();
      loaded = true;
      read();
      return refreshed;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      delegate.commit(base, metadata);
    }

    @Override
    public FileIO io() {
      return delegate.io();
    }

    @Override
    public EncryptionManager encryption() {
      return delegate.encryption();
    }

    @Override
    public String metadataFileLocation(String fileName) {
      return delegate.metadataFileLocation(fileName);
    }

    @Override
    public LocationProvider locationProvider() {
      return delegate.locationProvider();
    }

    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
      return delegate.temp(uncommittedMetadata);
    }

    @Override
    public long newSnapshotId() {
      return delegate.newSnapshotId();
    }

    @Override
    public boolean requireStrictCleanup() {
      return delegate.requireStrictCleanup();
    }
  }
}
