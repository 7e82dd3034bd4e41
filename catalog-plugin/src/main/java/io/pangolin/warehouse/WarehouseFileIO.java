package io.pangolin.warehouse;

import io.pangolin.security.Redaction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * The FileIO of one warehouse (step three of three): S3 locations through Iceberg's {@link S3FileIO} with the
 * warehouse's resolved properties, {@code file:} locations through {@link LocalFileIO}.
 *
 * <p>Engines serialize a table's FileIO to every executor. Only the resolved properties travel; each copy builds
 * its S3FileIO lazily where it is first used (in that thread's class loader, which matters to engines that load
 * job code in class loaders of their own, as Flink does), and nothing here ever opens a database connection.
 *
 * <p>Every location it is handed, by the catalog or by Iceberg's own actions on an executor, is checked against
 * the warehouse's {@link LocationPolicy} first, so crafted metadata cannot make it read, write or delete
 * anything outside the warehouse.
 */
public final class WarehouseFileIO implements DelegateFileIO, AutoCloseable {

  private static final long serialVersionUID = 1L;

  /** Set by the resolver: the warehouse's name, for messages. */
  static final String WAREHOUSE_PROPERTY = "pangolin.warehouse";

  /** Set by the resolver: "false" when the warehouse has no object-store credentials at all. */
  static final String OBJECT_STORE_PROPERTY = "pangolin.object-store";

  /** Set by the resolver for checksum-mode when-required: delete S3 objects with one request each. */
  static final String SINGLE_OBJECT_DELETES_PROPERTY = "pangolin.s3.single-object-deletes";

  /** Iceberg's S3FileIO property that records where an instance was made, to name it if it is never closed. */
  private static final String CREATION_STACKTRACE = "init-creation-stacktrace";

  private Map<String, String> properties = Map.of();
  private LocationPolicy policy;
  /** True in the instance {@link #initialize} set up; false in copies made by deserialization (executors). */
  private transient boolean original;
  private transient volatile S3FileIO s3;
  private transient volatile LocalFileIO local;
  private transient volatile DeleteGuard guard;

  /** For engines that instantiate FileIO reflectively; {@link #initialize} must follow. */
  public WarehouseFileIO() {}

  public WarehouseFileIO(ResolvedStorage storage) {
    initialize(storage.fileIoProperties());
  }

  @Override
  public void initialize(Map<String, String> props) {
    this.properties = Map.copyOf(new HashMap<>(props));
    this.policy = LocationPolicy.fromProperties(warehouse(), properties);
    this.original = true;
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  public String warehouse() {
    return properties.getOrDefault(WAREHOUSE_PROPERTY, "unknown");
  }

  @Override
  public InputFile newInputFile(String location) {
    return delegate(location).newInputFile(location);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return delegate(location).newInputFile(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return delegate(location).newOutputFile(location);
  }

  /** Holds back the deletes {@code deleteGuard} refuses, on this instance only (not on serialized copies). */
  public void guardDeletes(DeleteGuard deleteGuard) {
    this.guard = deleteGuard;
  }

  private boolean mayDelete(String location) {
    DeleteGuard g = guard;
    return g == null || g.mayDelete(location);
  }

  @Override
  public void deleteFile(String location) {
    DelegateFileIO io = delegate(location);
    if (mayDelete(location)) {
      io.deleteFile(location);
    }
  }

  /** Deletes what the warehouse serves and refuses the rest, so one location outside spares only itself. */
  @Override
  public void deleteFiles(Iterable<String> locations) {
    Map<DelegateFileIO, List<String>> byIo = new LinkedHashMap<>();
    List<IllegalArgumentException> refused = new ArrayList<>();
    for (String location : locations) {
      if (!mayDelete(location)) {
        continue;
      }
      try {
        byIo.computeIfAbsent(delegate(location), io -> new ArrayList<>()).add(location);
      } catch (IllegalArgumentException e) {
        refused.add(e);
      }
    }
    byIo.forEach((io, batch) -> {
      if (singleObjectDeletes(io)) {
        deleteOneByOne(io, batch);
      } else {
        io.deleteFiles(batch);
      }
    });
    if (!refused.isEmpty()) {
      BulkDeletionFailureException failure = new BulkDeletionFailureException(refused.size());
      failure.addSuppressed(refused.get(0));
      throw failure;
    }
  }

  private boolean singleObjectDeletes(DelegateFileIO io) {
    return io instanceof S3FileIO && "true".equals(properties.get(SINGLE_OBJECT_DELETES_PROPERTY));
  }

  /**
   * The AWS SDK sends a CRC32 checksum header with every multi-object delete, even when checksums are turned down
   * to "when required" and the legacy MD5 plugin is on, and stores that only know MD5 refuse it; S3FileIO then only
   * logs the failure, so purges and snapshot expiry would leave every file behind. A single-object delete needs no
   * checksum.
   */
  private static void deleteOneByOne(DelegateFileIO io, List<String> locations) {
    int failed = 0;
    RuntimeException firstFailure = null;
    for (String location : locations) {
      try {
        io.deleteFile(location);
      } catch (RuntimeException e) {
        failed++;
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    if (failed > 0) {
      BulkDeletionFailureException failure = new BulkDeletionFailureException(failed);
      failure.addSuppressed(firstFailure);
      throw failure;
    }
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    return delegate(prefix).listPrefix(prefix);
  }

  @Override
  public void deletePrefix(String prefix) {
    DelegateFileIO io = delegate(prefix);
    if (!mayDelete(prefix)) {
      return;
    }
    if (singleObjectDeletes(io)) {
      List<String> locations = new ArrayList<>();
      io.listPrefix(prefix).forEach(file -> locations.add(file.location()));
      deleteOneByOne(io, locations);
    } else {
      io.deletePrefix(prefix);
    }
  }

  private DelegateFileIO delegate(String location) {
    if (policy == null) {
      throw new IllegalStateException("Warehouse FileIO of '" + warehouse() + "' was initialized without the"
          + " warehouse's locations and serves none; use the FileIO of a table loaded through the Pangolin catalog");
    }
    policy.require(location, "a file operation");
    int colon = location.indexOf(':');
    String scheme = colon > 0 ? location.substring(0, colon) : "file";
    switch (scheme) {
      case "s3", "s3a", "s3n" -> {
        return s3(location);
      }
      case "file" -> {
        return local();
      }
      default -> throw new IllegalArgumentException(
          "Warehouse '" + warehouse() + "' cannot serve location " + location + ": scheme '" + scheme
              + "' is not supported (use s3:// or file:)");
    }
  }

  private S3FileIO s3(String location) {
    if ("false".equals(properties.get(OBJECT_STORE_PROPERTY))) {
      throw new IllegalArgumentException(
          "Warehouse '" + warehouse() + "' has no object-store credentials (credential type 'none') and cannot"
              + " serve " + location + "; give it static credentials or engine-identity");
    }
    S3FileIO io = s3;
    if (io == null) {
      synchronized (this) {
        io = s3;
        if (io == null) {
          io = new S3FileIO();
          io.initialize(original ? properties : executorCopyProperties());
          s3 = io;
        }
      }
    }
    return io;
  }

  /**
   * A copy's S3FileIO has no owner that could close it: engines drop deserialized FileIOs without closing them, and
   * S3FileIO's finalizer closes it when it is collected. Iceberg's own deserialized S3FileIO copies carry no
   * creation stack, so they close that way without an "Unclosed S3FileIO" warning; a copy here is made the same.
   */
  private Map<String, String> executorCopyProperties() {
    Map<String, String> props = new HashMap<>(properties);
    props.put(CREATION_STACKTRACE, "false");
    return props;
  }

  private LocalFileIO local() {
    LocalFileIO io = local;
    if (io == null) {
      synchronized (this) {
        io = local;
        if (io == null) {
          io = new LocalFileIO();
          local = io;
        }
      }
    }
    return io;
  }

  @Override
  public void close() {
    S3FileIO io = s3;
    if (io != null) {
      io.close();
    }
  }

  @Override
  public String toString() {
    return "WarehouseFileIO{" + warehouse() + ", " + Redaction.properties(properties) + "}";
  }
}
