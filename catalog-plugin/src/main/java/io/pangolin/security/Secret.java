package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;

/** A secret value that never shows itself in {@link #toString()}, logs or exception messages. */
public final class Secret implements Serializable {

  private static final long serialVersionUID = 1L;

  private final String value;

  private Secret(String value) {
    this.value = requireNonNull(value, "value");
  }

  public static Secret of(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("A secret must not be empty");
    }
    return new Secret(value);
  }

  /** The plain value, for the one place that must hand it to a client library. */
  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other
        && MessageDigest.isEqual(
            value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "***";
  }
}
