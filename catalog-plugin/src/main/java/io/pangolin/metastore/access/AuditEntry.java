package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One row of {@code pangolin.audit_log}, every column: ids are null where the trail has none (a tenant
 * administrator row has no object id of its own), pointers null unless a table or view pointer moved, and
 * {@code detail} the JSON object the trigger wrote.
 */
public record AuditEntry(long id, Instant at, String principal, Long tenantId, String objectKind, Long objectId,
    String objectName, String action, String oldPointer, String newPointer, String detail) {

  public AuditEntry {
    requireNonNull(at, "at");
    requireNonNull(principal, "principal");
    requireNonNull(objectKind, "objectKind");
    requireNonNull(action, "action");
    requireNonNull(detail, "detail");
  }
}
