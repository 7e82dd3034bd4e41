package io.pangolin.warehouse;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SeekableInputStream;

/**
 * FileIO for {@code file:} locations (development warehouses and tests), without Hadoop. Files keep the
 * location string they were asked for, so metadata records exactly the locations the catalog checked.
 */
public final class LocalFileIO implements DelegateFileIO {

  private static final long serialVersionUID = 1L;

  /** Decoded exactly as {@link StorageLocations#canonical} decodes it, so the check and the write agree. */
  static Path toPath(String location) {
    return Paths.get(StorageLocations.localPath(location));
  }

  @Override
  public InputFile newInputFile(String location) {
    return new LocalInput(location);
  }

  @Override
  public OutputFile newOutputFile(String location) {
    return new LocalOutput(location);
  }

  @Override
  public void deleteFile(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + location, e);
    }
  }

  @Override
  public void deleteFiles(Iterable<String> locations) {
    locations.forEach(this::deleteFile);
  }

  @Override
  public Iterable<FileInfo> listPrefix(String prefix) {
    Path root = toPath(prefix);
    if (!Files.exists(root)) {
      return List.of();
    }
    String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .map(p -> {
            File f = p.toFile();
            // Locations are percent-decoded when read back, so a literal '%' in a file name is written escaped.
            String relative = root.relativize(p).toString().replace(File.separatorChar, '/').replace("%", "%25");
            String location = relative.isEmpty() ? base : base + "/" + relative;
            return new FileInfo(location, f.length(), f.lastModified());
          })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + prefix, e);
    }
  }

  @Override
  public void deletePrefix(String prefix) {
    listPrefix(prefix).forEach(info -> deleteFile(info.location()));
  }

  private static final class LocalInput implements InputFile {
    private final String location;
    private final InputFile delegate;

    LocalInput(String location) {
      this.location = location;
      this.delegate = org.apache.iceberg.Files.localInput(toPath(location).toFile());
    }

    @Override
    public long getLength() {
      return delegate.getLength();
    }

    @Override
    public SeekableInputStream newStream() {
      return delegate.newStream();
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public boolean exists() {
      return delegate.exists();
    }
  }

  private static final class LocalOutput implements OutputFile {
    private final String location;
    private final OutputFile delegate;

    LocalOutput(String location) {
      this.location = location;
      this.delegate = org.apache.iceberg.Files.localOutput(toPath(location).toFile());
    }

    @Override
    public PositionOutputStream create() {
      return delegate.create();
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      return delegate.createOrOverwrite();
    }

    @Override
    public String location() {
      return location;
    }

    @Override
    public InputFile toInputFile() {
      return new LocalInput(location);
    }
  }

}
