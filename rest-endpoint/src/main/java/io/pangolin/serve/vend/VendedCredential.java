package io.pangolin.serve.vend;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Redaction;
import java.util.Map;
import org.apache.iceberg.rest.credentials.Credential;

/**
 * Temporary credentials for the objects under {@link #prefix()}, as the REST spec's {@code storage-credentials}
 * carry them. Our own {@link Credential} rather than Iceberg's {@code ImmutableCredential}, whose
 * {@code toString()} prints the secret key and session token.
 */
public record VendedCredential(String prefix, Map<String, String> config) implements Credential {

  public VendedCredential {
    requireNonNull(prefix, "prefix");
    config = Map.copyOf(config);
  }

  @Override
  public String toString() {
    return "VendedCredential{" + prefix + ", " + Redaction.properties(config) + "}";
  }
}
