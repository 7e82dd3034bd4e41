package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;

/**
 * A table's FileIO on the engine's driver: reads and writes pass through; a delete is refused while another branch
 * or tag (main included) shows the table with other metadata than this ref, since that metadata may still need
 * the file. Snapshot expiry and purges therefore keep such files, and Iceberg logs the refusal. It travels to
 * executors as the warehouse FileIO it wraps: executors only delete files their own failed tasks wrote.
 */
final class RefSafeFileIO implements DelegateFileIO {

  private final DelegateFileIO delegate;
  private final String table;
  private final transient Supplier<List<String>> otherHolders;

  RefSafeFileIO(DelegateFileIO delegate, String table, Supplier<List<String>> otherHolders) {
    this.delegate = requireNonNull(delegate, "delegate");
    this.table = requireNonNull(table, "table");
    this.otherHolders = requireNonNull(otherHolders, "otherHolders");
  }

  DelegateFileIO delegate() {
    return delegate;
  }

  private void requireNoOtherHolder(String what) {
    List<String> holders = otherHolders.get();
    if (!holders.isEmpty()) {
      throw new ForbiddenException("Refusing to delete %s of table %s: %s still show(s) the table with other"
          + " metadata, which may reference it. Files of a table held by several branches or tags are removed"
          + " only by orphan-file removal once no ref needs them", what, table, String.join(", ", holders));
    }
  }

  @Override
  public void deleteFile(String location) {
    requireNoOtherHolder(location);
    delegate.deleteFile(location);
  }

  @Override
  public void deleteFiles(Iterable<String> locations) {
    requireNoOtherHolder("files");
    delegate.deleteFiles(locations);
  }

  @Override
  public void deletePrefix(String prefix) {
    requireNoOtherHolder(prefix);
    delegate.deletePrefix(prefix);
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    return delegate.listPrefix(prefix);
  }

  @Override
  public InputFile newInputFile(String location) {
    return delegate.newInputFile(location);
  }

  @Override
  public InputFile newInputFile(String location, long length) {
    return delegate.newInputFile(location, length);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return delegate.newOutputFile(location);
  }

  @Override
  public Map<String, String> properties() {
    return delegate.properties();
  }

  @Override
  public void initialize(Map<String, String> properties) {
    delegate.initialize(properties);
  }

  @Override
  public void close() {
    delegate.close();
  }

  /** Serialized as the warehouse FileIO itself: the check needs the catalog database, which executors lack. */
  private Object writeReplace() {
    return delegate;
  }
}
