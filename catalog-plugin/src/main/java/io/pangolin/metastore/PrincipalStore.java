package io.pangolin.metastore;

import static io.pangolin.metastore.AccessSql.ADD_MEMBER;
import static io.pangolin.metastore.AccessSql.ADD_TENANT_ADMIN;
import static io.pangolin.metastore.AccessSql.ADOPT;
import static io.pangolin.metastore.AccessSql.CREATE_GROUP;
import static io.pangolin.metastore.AccessSql.CREATE_LOGIN;
import static io.pangolin.metastore.AccessSql.CREATE_PLATFORM_ADMIN;
import static io.pangolin.metastore.AccessSql.DROP_ROLE;
import static io.pangolin.metastore.AccessSql.FORGET_PRINCIPAL;
import static io.pangolin.metastore.AccessSql.LIST_PRINCIPALS;
import static io.pangolin.metastore.AccessSql.PLATFORM_ADMIN_MANAGES_PRINCIPALS;
import static io.pangolin.metastore.AccessSql.PLATFORM_ADMIN_MANAGES_PRINCIPALS_BEFORE_16;
import static io.pangolin.metastore.AccessSql.REMOVE_TENANT_ADMIN;
import static io.pangolin.metastore.AccessSql.ROLE_EXISTS;
import static io.pangolin.metastore.AccessSql.ROLE_SETTINGS;
import static io.pangolin.metastore.AccessSql.SET_ROLE_BOUND;
import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.postgresql.util.PasswordUtil;

/**
 * Principals are PostgreSQL roles, so creating one is role DDL run as the caller's login: PostgreSQL decides
 * whether the caller may (a superuser, or a platform administrator with CREATEROLE and ADMIN OPTION on
 * pangolin_principal). Uses no Iceberg class.
 */
public final class PrincipalStore {

  private static final int MAX_ROLE_BYTES = 63;

  private final Database db;

  public PrincipalStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** A login role in pangolin_principal, with its bounds set in the same transaction. */
  public PrincipalBounds.Applied createPrincipal(String role, Optional<Secret> password, PrincipalBounds bounds) {
    String quoted = quoted(role);
    requireNonNull(password, "password");
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: create principal '" + role + "'", taken(role), conn -> {
      execute(conn, CREATE_LOGIN.formatted(quoted));
      setPassword(conn, role, password);
      return setBounds(conn, role, bounds);
    });
  }

  public void createGroup(String role) {
    String quoted = quoted(role);
    db.run("administer roles: create group '" + role + "'", taken(role), conn -> execute(conn,
        CREATE_GROUP.formatted(quoted)));
  }

  /** An existing role joins pangolin_principal, with its bounds set in the same transaction. */
  public PrincipalBounds.Applied adoptPrincipal(String role, PrincipalBounds bounds) {
    String quoted = quoted(role);
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: adopt '" + role + "' as a principal", unknown(role), conn -> {
      requireRole(conn, role);
      execute(conn, ADOPT.formatted(quoted));
      return setBounds(conn, role, bounds);
    });
  }

  /** Sets the given bounds on an existing role (a principal made before, or one whose bounds change). */
  public PrincipalBounds.Applied setBounds(String role, PrincipalBounds bounds) {
    quoted(role);
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: set the bounds of '" + role + "'", unknown(role), conn -> {
      requireRole(conn, role);
      return setBounds(conn, role, bounds);
    });
  }

  /**
   * The settings the role's sessions start with in this database (its bounds among them), parameter to value as
   * PostgreSQL stored it; empty when it has none.
   */
  public Map<String, String> roleSettings(String role) {
    quoted(role);
    return db.run("show the settings of role '" + role + "'", null, conn -> {
      requireRole(conn, role);
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
    });
  }

  public void addMember(String group, String member) {
    String quotedGroup = quoted(group);
    String quotedMember = quoted(member);
    db.run("administer roles: add '" + member + "' to group '" + group + "'", null, conn -> {
      requireRole(conn, group);
      requireRole(conn, member);
      return execute(conn, ADD_MEMBER.formatted(quotedGroup, quotedMember));
    });
  }

  public void createPlatformAdmin(String role, Optional<Secret> password) {
    String quoted = quoted(role);
    requireNonNull(password, "password");
    db.inTransaction("administer roles: create platform administrator '" + role + "'", taken(role), conn -> {
      execute(conn, CREATE_PLATFORM_ADMIN.formatted(quoted));
      boolean membershipOptions = conn.getMetaData().getDatabaseMajorVersion() >= 16;
      execute(conn, (membershipOptions ? PLATFORM_ADMIN_MANAGES_PRINCIPALS : PLATFORM_ADMIN_MANAGES_PRINCIPALS_BEFORE_16)
          .formatted(quoted));
      setPassword(conn, role, password);
      return null;
    });
  }

  public List<PrincipalInfo> listPrincipals() {
    return db.run("list principals", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_PRINCIPALS); ResultSet rs = stmt.executeQuery()) {
        List<PrincipalInfo> out = new ArrayList<>();
        while (rs.next()) {
          out.add(new PrincipalInfo(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), SqlArrays.texts(rs, 4),
              SqlArrays.texts(rs, 5)));
        }
        return out;
      }
    });
  }

  /**
   * Removes the role's grants and tenant administrator rows, then the role, in one transaction, so that a role
   * created later under the same name starts with nothing. Returns the number of grants removed.
   */
  public int dropPrincipal(String role) {
    String quoted = quoted(role);
    return db.inTransaction("administer roles: drop principal '" + role + "'", dropRefused(role), conn -> {
      requireRole(conn, role);
      int removed;
      try (PreparedStatement stmt = conn.prepareStatement(FORGET_PRINCIPAL)) {
        stmt.setString(1, role);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          removed = rs.getInt(1);
        }
      }
      execute(conn, DROP_ROLE.formatted(quoted));
      return removed;
    });
  }

  public void addTenantAdmin(String tenant, String role) {
    quoted(role);
    int added = db.run("administer tenant '" + tenant + "': name '" + role + "' its administrator",
        e -> SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)
            ? new ObjectExistsException("Role '" + role + "' already administers tenant '" + tenant + "'") : null,
        conn -> {
          requireRole(conn, role);
          return SqlArrays.call(conn, ADD_TENANT_ADMIN, role, tenant);
        });
    if (added == 0) {
      throw NoSuchObjectException.tenant(tenant);
    }
  }

  public void removeTenantAdmin(String tenant, String role) {
    int removed = db.run("administer tenant '" + tenant + "': remove administrator '" + role + "'", null,
        conn -> SqlArrays.call(conn, REMOVE_TENANT_ADMIN, role, tenant));
    if (removed == 0) {
      throw new NoSuchObjectException("Role '" + role + "' is not an administrator of tenant '" + tenant
          + "' (or the tenant is unknown); 'pangolin principal list' shows who administers what");
    }
  }

  /**
   * The role name as a quoted identifier, exactly as given: role names are case-sensitive and may hold '@' or '.'
   * (cloud IAM logins), and the grants name them the same way.
   */
  static String quoted(String role) {
    if (role == null || role.isBlank() || role.indexOf('\0') >= 0
        || role.getBytes(StandardCharsets.UTF_8).length > MAX_ROLE_BYTES) {
      throw new IllegalArgumentException("Invalid role name '" + role + "': use 1 to " + MAX_ROLE_BYTES
          + " bytes, not blank, without NUL");
    }
    return '"' + role.replace("\"", "\"\"") + '"';
  }

  static void requireRole(Connection conn, String role) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(ROLE_EXISTS)) {
      stmt.setString(1, role);
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        if (!rs.getBoolean(1)) {
          throw NoSuchObjectException.role(role);
        }
      }
    }
  }

  /**
   * A SCRAM verifier computed here, so the clear text never reaches the server (nor its statement log); no
   * password leaves a login that authenticates by certificate or cloud IAM. Computed by the driver's utility rather
   * than through the connection, which in a JVM with a second PostgreSQL driver (the engine's, an application's)
   * may come from that one and so not unwrap to the relocated driver's class.
   */
  private static void setPassword(Connection conn, String role, Optional<Secret> password) throws SQLException {
    if (password.isEmpty()) {
      return;
    }
    char[] clear = password.get().reveal().toCharArray();
    try {
      execute(conn, PasswordUtil.genAlterUserPasswordSQL(role, clear, "scram-sha-256"));
    } finally {
      Arrays.fill(clear, '\0');
    }
  }

  /**
   * Each bound under its own savepoint, so that one the caller may not set (temp_file_limit needs a superuser or SET
   * on the parameter; a role someone else created needs its administrator) is reported instead of undoing the
   * role, and the others still land.
   */
  private static PrincipalBounds.Applied setBounds(Connection conn, String role, PrincipalBounds bounds)
      throws SQLException {
    Map<String, String> set = new LinkedHashMap<>();
    List<PrincipalBounds.NotSet> notSet = new ArrayList<>();
    for (Map.Entry<String, String> bound : bounds.settings().entrySet()) {
      String sql = SET_ROLE_BOUND.formatted(quoted(role), bound.getKey(), bound.getValue());
      Savepoint before = conn.setSavepoint();
      try {
        execute(conn, sql);
        conn.releaseSavepoint(before);
        set.put(bound.getKey(), bound.getValue());
      } catch (SQLException e) {
        if (!SqlErrors.is(e, SqlErrors.INSUFFICIENT_PRIVILEGE)) {
          throw e;
        }
        conn.rollback(before);
        notSet.add(new PrincipalBounds.NotSet(bound.getKey(), bound.getValue(), SqlErrors.serverMessage(e), sql));
      }
    }
    return new PrincipalBounds.Applied(set, notSet);
  }

  private static Void execute(Connection conn, String sql) throws SQLException {
    try (Statement stmt = conn.createStatement()) {
      stmt.execute(sql);
    }
    return null;
  }

  private static Function<SQLException, RuntimeException> taken(String role) {
    return e -> SqlErrors.is(e, SqlErrors.DUPLICATE_OBJECT)
        ? new ObjectExistsException("Role '" + role + "' already exists; make it a principal with"
            + " 'pangolin principal create " + role + " --existing'")
        : null;
  }

  private static Function<SQLException, RuntimeException> unknown(String role) {
    return e -> SqlErrors.is(e, SqlErrors.UNDEFINED_OBJECT) ? NoSuchObjectException.role(role) : null;
  }

  private static Function<SQLException, RuntimeException> dropRefused(String role) {
    return e -> SqlErrors.is(e, SqlErrors.DEPENDENT_OBJECTS_STILL_EXIST)
        ? new ObjectInUseException("Role '" + role + "' still owns objects or holds privileges outside Pangolin;"
            + " reassign or drop them first (REASSIGN OWNED / DROP OWNED): " + e.getMessage())
        : unknown(role).apply(e);
  }
}
