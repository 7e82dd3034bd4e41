package io.pangolin.serve.auth;

import static java.util.Objects.requireNonNull;

/**
 * Who a request acts for: a PostgreSQL principal, and the bearer token the database honours for it. The token is
 * what every transaction of the request hands to {@code pangolin.act_as}; it never appears in {@link #toString()}.
 */
public record Caller(String principal, String token) {

  public Caller {
    requireNonNull(principal, "principal");
    requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "Caller{" + principal + "}";
  }
}
