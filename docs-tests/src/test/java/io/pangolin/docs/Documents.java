package io.pangolin.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The documents the rules cover and DocsIT runs: README.md, then every docs/**&#47;*.md in alphabetical order. */
final class Documents {

  private Documents() {
  }

  /** The repository's root: the system property pangolin.repo (the build sets it), else the parent folder. */
  static Path repo() {
    return Path.of(System.getProperty("pangolin.repo", "..")).toAbsolutePath().normalize();
  }

  static List<Path> discover(Path root) {
    List<Path> documents = new ArrayList<>();
    Path readme = root.resolve("README.md");
    if (Files.isRegularFile(readme)) {
      documents.add(readme);
    }
    Path docs = root.resolve("docs");
    if (Files.isDirectory(docs)) {
      try (Stream<Path> files = Files.walk(docs)) {
        files.filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".md"))
            .sorted(Comparator.comparing(f -> root.relativize(f).toString()))
            .forEach(documents::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return documents;
  }

  /** The comma-separated paths of {@code list} (from the root), in the order given. */
  static List<Path> listed(Path root, String list) {
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .map(s -> root.resolve(s).normalize()).toList();
  }

  /** The name a document goes by in messages: its path from the root, or its absolute path outside it. */
  static String name(Path root, Path document) {
    Path absolute = document.toAbsolutePath().normalize();
    return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
  }

  static String read(Path document) {
    try {
      return Files.readString(document);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
