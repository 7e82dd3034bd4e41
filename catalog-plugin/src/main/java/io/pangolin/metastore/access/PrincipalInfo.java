package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A role that takes part in Pangolin's access control: a login (an engine or a person) or a group (no login; grants
 * to it reach its members). {@code memberOf} lists the groups it belongs to, {@code tenantAdminOf} the tenants it
 * administers (as far as the caller may see them).
 */
public record PrincipalInfo(String name, boolean login, boolean platformAdmin, List<String> memberOf,
    List<String> tenantAdminOf) {

  public PrincipalInfo {
    requireNonNull(name, "name");
    memberOf = List.copyOf(memberOf);
    tenantAdminOf = List.copyOf(tenantAdminOf);
  }
}
