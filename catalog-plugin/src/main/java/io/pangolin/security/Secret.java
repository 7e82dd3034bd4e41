package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * A secret value that never shows itself in {@link #toString()}, logs or exception messages. A stored secret
 * is opened (decrypted) only when revealed, so listing warehouses needs no master key.
 */
public final class Secret {

  private final Supplier<String> value;

  private Secret(Supplier<String> value) {
    this.value = requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("A secret must not be empty");
    }
    return new Secret(() -> value);
  }

  /** A secret opened (decrypted) each time it is revealed, by {@code opener}, which may fail (no master key). */
  public static Secret openedOnUse(Supplier<String> opener) {
    return new Secret(opener);
  }

  /** The plain value, for the one place that must hand it to a client library. */
  public String reveal() {
    return value.get();
  }

  @Override
  public String toString() {
    return "***";
  }
}
