package io.pangolin.metastore.access;

import static io.pangolin.metastore.access.AccessSql.ROLE_SETTINGS;
import static io.pangolin.metastore.access.AccessSql.SET_BOUNDS;
import static io.pangolin.metastore.access.AccessSql.SET_ROLE_BOUND;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A role's bounds on the connection {@link PrincipalStore} works in: set inside the transaction that makes, adopts or
 * bounds the principal, so a role never exists without the bounds it was asked for, and read back as the settings
 * its sessions start with. Whether the role exists is the store's to check first.
 */
final class RoleBounds {

  private RoleBounds() {}

  /**
   * The bounds, set by pangolin.set_principal_bounds: one that pangolin_role_admin may not set (from PostgreSQL 16,
   * on a role it neither created nor was given ADMIN OPTION on) is reported, with the statement a superuser runs,
   * instead of undoing the role, and the others still land.
   */
  static PrincipalBounds.Applied apply(Connection conn, String role, PrincipalBounds bounds) throws SQLException {
    Map<String, String> set = new LinkedHashMap<>();
    List<PrincipalBounds.NotSet> notSet = new ArrayList<>();
    if (bounds.settings().isEmpty()) {
      return new PrincipalBounds.Applied(set, notSet);
    }
    try (PreparedStatement stmt = conn.prepareStatement(SET_BOUNDS)) {
      stmt.setString(1, role);
      stmt.setString(2, json(bounds.settings()));
      try (ResultSet rs = stmt.executeQuery()) {
        while (rs.next()) {
          String parameter = rs.getString(1);
          String value = rs.getString(2);
          String reason = rs.getString(3);
          if (reason == null) {
            set.put(parameter, value);
          } else {
            notSet.add(new PrincipalBounds.NotSet(parameter, value, reason,
                SET_ROLE_BOUND.formatted(PrincipalStore.quoted(role), parameter, value)));
          }
        }
      }
    }
    return new PrincipalBounds.Applied(set, notSet);
  }

  /** Parameter to value as PostgreSQL stored them; empty when the role has none. */
  static Map<String, String> settings(Connection conn, String role) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (PreparedStatement stmt = conn.prepareStatement(ROLE_SETTINGS)) {
      stmt.setString(1, role);
      try (ResultSet rs = stmt.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  /** Parameter names and values of {@link PrincipalBounds#settings()}: plain words and numbers, escaped anyway. */
  private static String json(Map<String, String> settings) {
    StringBuilder out = new StringBuilder("{");
    settings.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append('"').append(escaped(k))
        .append("\": \"").append(escaped(v)).append('"'));
    return out.append('}').toString();
  }

  private static String escaped(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
