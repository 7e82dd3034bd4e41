package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One row of {@code pangolin.grants}, with its object by name. */
public record GrantInfo(String grantee, Privilege privilege, ObjectRef on, String grantedBy, Instant grantedAt) {

  public GrantInfo {
    requireNonNull(grantee, "grantee");
    requireNonNull(privilege, "privilege");
    requireNonNull(on, "on");
    requireNonNull(grantedBy, "grantedBy");
    requireNonNull(grantedAt, "grantedAt");
  }
}
