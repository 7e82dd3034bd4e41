package io.pangolin.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the operator's master key: a key file when one is named, otherwise an environment variable
 * (PANGOLIN_MASTER_KEY unless another is named). Neither is required until a secret must be read or written.
 */
public final class MasterKeys {

  public static final String DEFAULT_ENV = "PANGOLIN_MASTER_KEY";

  /** Where the key of the tenant worked for is read from when no tenant key file is named. */
  public static final String TENANT_ENV = "PANGOLIN_TENANT_KEY";

  private MasterKeys() {}

  public static Optional<SecretCipher> load(String keyFile, String envName, Map<String, String> environment) {
    if (keyFile != null && !keyFile.isBlank()) {
      return Optional.of(file(keyFile, DEFAULT_ENV.equals(envName) ? "master key" : "key"));
    }
    String name = envName == null || envName.isBlank() ? DEFAULT_ENV : envName;
    String value = environment.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(SecretCipher.fromBase64(value));
  }

  /** The key in a key file; {@code what} ("master key", "key") names it in errors. */
  public static SecretCipher file(String keyFile, String what) {
    Path path = Path.of(keyFile);
    if (!Files.exists(path)) {
      throw new IllegalArgumentException("The Pangolin " + what + " file " + path + " does not exist; name the file"
          + " that 'pangolin key generate --out FILE' wrote");
    }
    try {
      return SecretCipher.fromBase64(Files.readString(path));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the Pangolin " + what + " file " + path + ": " + e.getMessage());
    }
  }
}
