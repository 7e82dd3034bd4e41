package io.pangolin.serve.http;

import static java.util.Objects.requireNonNull;

import java.nio.file.Files;
import java.nio.file.Path;

/** A PKCS12 keystore holding the endpoint's certificate and key, and its password (never in {@link #toString()}). */
public record TlsSettings(Path keystore, String password) {

  public TlsSettings {
    requireNonNull(keystore, "keystore");
    requireNonNull(password, "password");
    if (!Files.isReadable(keystore)) {
      throw new IllegalArgumentException("TLS keystore " + keystore + " is not a readable file: give the path of a "
          + "PKCS12 keystore (keytool -genkeypair -storetype PKCS12 ...)");
    }
  }

  @Override
  public String toString() {
    return "TlsSettings{keystore=" + keystore + ", password=****}";
  }
}
