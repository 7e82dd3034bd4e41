package io.pangolin.warehouse;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a warehouse authenticates to its object storage. Stored as {@link #code()}. */
public enum CredentialType {
  /** The access key and secret stored with the warehouse. */
  STATIC("static"),
  /** The engine's own identity (default credential chain), chosen explicitly for this warehouse. */
  ENGINE_IDENTITY("engine-identity"),
  /** No object-store credentials: the warehouse is on a local or mounted file system. */
  NONE("none");

  private final String code;

  CredentialType(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static CredentialType fromCode(String code) {
    return Arrays.stream(values())
        .filter(t -> t.code.equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "Unknown credential type '" + code + "': use one of "
                + Arrays.stream(values()).map(CredentialType::code).collect(Collectors.joining(", "))));
  }
}
