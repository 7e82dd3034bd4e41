package io.pangolin.warehouse;

import io.pangolin.security.Secret;
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

  /** Fails, naming the warehouse and the fix, when the keys given do not fit this type or the storage root. */
  public void requireFit(String warehouse, String root, String accessKeyId, Secret secret) {
    switch (this) {
      case STATIC -> {
        if (accessKeyId == null || accessKeyId.isBlank() || secret == null) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' uses static credentials: give both an"
              + " access key id and a secret access key");
        }
      }
      case ENGINE_IDENTITY, NONE -> {
        if (accessKeyId != null || secret != null) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' uses credential type '" + code
              + "', which takes no access key or secret");
        }
        if (this == NONE && !root.startsWith("file:")) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' stores to " + root + " and needs"
              + " credentials: use 'static' (its own keys) or 'engine-identity' (the engine's own identity)");
        }
      }
    }
  }
}
