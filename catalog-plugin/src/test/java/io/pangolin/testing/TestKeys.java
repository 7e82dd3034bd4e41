package io.pangolin.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.pangolin.security.SecretCipher;

/** The master key the tests encrypt warehouse secrets with, and a key file holding it under target/. */
public final class TestKeys {

  public static final String MASTER_KEY = SecretCipher.generateKey();

  private static final class Holder {
    static final Path FILE = write();
  }

  private TestKeys() {}

  public static String masterKeyFile() {
    return Holder.FILE.toAbsolutePath().toString();
  }

  private static Path write() {
    try {
      Path dir = Files.createDirectories(Path.of("target"));
      Path file = Files.createTempFile(dir, "test-master-", ".key");
      Files.writeString(file, MASTER_KEY);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
