package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * Which audit rows to read: one tenant's, optionally only those about one object (its exact name as the trail
 * records it, or anything inside it: "sales" also matches "sales.orders" and "sales.eu"), in a time window
 * (since inclusive, until exclusive), newest first, at most {@code limit}.
 */
public record AuditQuery(String tenant, Optional<String> object, Optional<Instant> since, Optional<Instant> until,
    int limit) {

  public static final int DEFAULT_LIMIT = 100;

  public AuditQuery {
    requireNonNull(tenant, "tenant");
    requireNonNull(object, "object");
    requireNonNull(since, "since");
    requireNonNull(until, "until");
    if (limit < 1) {
      throw new IllegalArgumentException("The audit limit must be at least 1, got " + limit);
    }
  }

  public static AuditQuery ofTenant(String tenant) {
    return new AuditQuery(tenant, Optional.empty(), Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
  }

  public AuditQuery withObject(String name) {
    return new AuditQuery(tenant, Optional.of(name), since, until, limit);
  }

  public AuditQuery between(Optional<Instant> from, Optional<Instant> to) {
    return new AuditQuery(tenant, object, from, to, limit);
  }

  public AuditQuery withLimit(int max) {
    return new AuditQuery(tenant, object, since, until, max);
  }
}
