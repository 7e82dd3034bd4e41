package io.pangolin.metastore.access;

import static io.pangolin.metastore.access.AccessSql.ADD_MEMBER;
import static io.pangolin.metastore.access.AccessSql.ADD_TENANT_ADMIN;
import static io.pangolin.metastore.access.AccessSql.ADOPT;
import static io.pangolin.metastore.access.AccessSql.AUDIT_PLATFORM_ADMIN;
import static io.pangolin.metastore.access.AccessSql.CALLER_IS_SUPERUSER;
import static io.pangolin.metastore.access.AccessSql.CREATE_GROUP;
import static io.pangolin.metastore.access.AccessSql.CREATE_PLATFORM_ADMIN;
import static io.pangolin.metastore.access.AccessSql.CREATE_PRINCIPAL;
import static io.pangolin.metastore.access.AccessSql.DROP_PRINCIPAL;
import static io.pangolin.metastore.access.AccessSql.LIST_PRINCIPALS;
import static io.pangolin.metastore.access.AccessSql.REMOVE_TENANT_ADMIN;
import static io.pangolin.metastore.access.AccessSql.ROLE_ADMIN_ADMINISTERS;
import static io.pangolin.metastore.access.AccessSql.ROLE_EXISTS;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.metastore.ObjectInUseException;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.security.Secret;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.postgresql.util.PasswordUtil;

/**
 * Principals are PostgreSQL roles, made, adopted, grouped, bounded and dropped through the SECURITY DEFINER
 * functions of pangolin_role_admin (R__15_roles.sql), which a platform administrator or a superuser may call and
 * which write an audit row for each change: a platform administrator holds no CREATEROLE. Platform administrators
 * themselves are made by a superuser with plain DDL. Uses no Iceberg class.
 */
public final class PrincipalStore {

  private static final int MAX_ROLE_BYTES = 63;

  private final Database db;

  public PrincipalStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** A login role in pangolin_principal, with its bounds set in the same transaction. */
  public PrincipalBounds.Applied createPrincipal(String role, Optional<Secret> password, PrincipalBounds bounds) {
    quoted(role);
    requireNonNull(password, "password");
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: create principal '" + role + "'", taken(role), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_PRINCIPAL)) {
        stmt.setString(1, role);
        String verifier = verifier(password);
        if (verifier == null) {
          stmt.setNull(2, Types.VARCHAR);
        } else {
          stmt.setString(2, verifier);
        }
        stmt.execute();
      }
      return RoleBounds.apply(conn, role, bounds);
    });
  }

  public void createGroup(String role) {
    quoted(role);
    db.run("administer roles: create group '" + role + "'", taken(role), conn -> call(conn, CREATE_GROUP, role));
  }

  /** An existing role joins pangolin_principal, with its bounds set in the same transaction. */
  public PrincipalBounds.Applied adoptPrincipal(String role, PrincipalBounds bounds) {
    quoted(role);
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: adopt '" + role + "' as a principal", unknown(role), conn -> {
      requireRole(conn, role);
      call(conn, ADOPT, role);
      if (conn.getMetaData().getDatabaseMajorVersion() >= 16 && callerIsSuperuser(conn)) {
        execute(conn, ROLE_ADMIN_ADMINISTERS.formatted(quoted(role)));
      }
      return RoleBounds.apply(conn, role, bounds);
    });
  }

  /** Sets the given bounds on an existing role (a principal made before, or one whose bounds change). */
  public PrincipalBounds.Applied setBounds(String role, PrincipalBounds bounds) {
    quoted(role);
    requireNonNull(bounds, "bounds");
    return db.inTransaction("administer roles: set the bounds of '" + role + "'", unknown(role), conn -> {
      requireRole(conn, role);
      return RoleBounds.apply(conn, role, bounds);
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
      return RoleBounds.settings(conn, role);
    });
  }

  public void addMember(String group, String member) {
    quoted(group);
    quoted(member);
    db.run("administer roles: add '" + member + "' to group '" + group + "'", null, conn -> {
      requireRole(conn, group);
      requireRole(conn, member);
      return call(conn, ADD_MEMBER, group, member);
    });
  }

  /**
   * A login in pangolin_platform_admin, made by a superuser with plain DDL (and its audit row): no CREATEROLE, no
   * ADMIN OPTION on any role. It manages principals through pangolin_role_admin's functions.
   */
  public void createPlatformAdmin(String role, Optional<Secret> password) {
    String quoted = quoted(role);
    requireNonNull(password, "password");
    db.inTransaction("administer roles: create platform administrator '" + role + "'", taken(role), conn -> {
      execute(conn, CREATE_PLATFORM_ADMIN.formatted(quoted));
      String verifier = verifier(password);
      if (verifier != null) {
        execute(conn, "ALTER ROLE " + quoted + " PASSWORD '" + verifier + "'");
      }
      return call(conn, AUDIT_PLATFORM_ADMIN, role);
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
    quoted(role);
    return db.inTransaction("administer roles: drop principal '" + role + "'", dropRefused(role), conn -> {
      requireRole(conn, role);
      try (PreparedStatement stmt = conn.prepareStatement(DROP_PRINCIPAL)) {
        stmt.setString(1, role);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getInt(1);
        }
      }
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
   * A SCRAM verifier computed here, so the clear text never reaches the server (nor its statement log); null when
   * no password is given (a login that authenticates by certificate or cloud IAM). Computed by the driver's utility
   * rather than through the connection, which in a JVM with a second PostgreSQL driver (the engine's, an
   * application's) may come from that one and so not unwrap to the relocated driver's class.
   */
  private static String verifier(Optional<Secret> password) {
    if (password.isEmpty()) {
      return null;
    }
    char[] clear = password.get().reveal().toCharArray();
    try {
      return PasswordUtil.encodeScramSha256(clear);
    } finally {
      Arrays.fill(clear, '\0');
    }
  }

  private static boolean callerIsSuperuser(Connection conn) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(CALLER_IS_SUPERUSER); ResultSet rs = stmt.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static Void call(Connection conn, String sql, String... params) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        stmt.setString(i + 1, params[i]);
      }
      stmt.execute();
    }
    return null;
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
            + " reassign or drop them first (REASSIGN OWNED / DROP OWNED): " + SqlErrors.serverMessage(e)
            + (SqlErrors.serverDetail(e).isEmpty() ? "" : " (" + SqlErrors.serverDetail(e) + ")"))
        : unknown(role).apply(e);
  }
}
