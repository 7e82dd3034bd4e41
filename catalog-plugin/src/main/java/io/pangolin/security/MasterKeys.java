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

  private MasterKeys() {}

  public static Optional<SecretCipher> load(String keyFile, String envName, Map<String, String> environment) {
    if (keyFile != null && !keyFile.isBlank()) {
      Path path = Path.of(keyFile);
      if (!Files.exists(path)) {
        throw new IllegalArgumentException("The Pangolin master key file " + path + " does not exist; name the file"
            + " that 'pangolin key generate --out FILE' wrote");
      }
      try {
        return Optional.of(SecretCipher.fromBase64(Files.readString(path)));
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read the Pangolin master key file " + path + ": " + e.getMessage());
      }
    }
    String name = envName == null || envName.isBlank() ? DEFAULT_ENV : envName;
    String value = environment.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(SecretCipher.fromBase64(value));
  }
}
