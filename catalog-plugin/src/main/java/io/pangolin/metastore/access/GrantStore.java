package io.pangolin.metastore.access;

import static io.pangolin.metastore.access.AccessSql.GRANT;
import static io.pangolin.metastore.access.AccessSql.GRANTS_OF;
import static io.pangolin.metastore.access.AccessSql.GRANTS_ON;
import static io.pangolin.metastore.access.AccessSql.REVOKE;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Grants by object name. Each change is one statement that resolves the names to ids and calls
 * {@code pangolin.grant_privilege} / {@code revoke_privilege}, which check MANAGE_GRANTS; what the caller may not
 * see reads as unknown. Uses no Iceberg class.
 */
public final class GrantStore {

  private final Database db;

  public GrantStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** Returns whether the grant is new (false: the grantee already held it). */
  public boolean grant(String grantee, Privilege privilege, ObjectRef on) {
    PrincipalStore.quoted(grantee);
    Long id = change(GRANT, "grant " + privilege + " to '" + grantee + "' on " + on, grantee, privilege, on);
    return id != null;
  }

  /** Returns the number of grants removed: 0 when the grantee did not hold it on exactly this object. */
  public int revoke(String grantee, Privilege privilege, ObjectRef on) {
    Long removed = change(REVOKE, "revoke " + privilege + " from '" + grantee + "' on " + on, grantee, privilege, on);
    return removed.intValue();
  }

  /** The grants held by the principal (directly, not through its groups) that the caller may see. */
  public List<GrantInfo> grantsOf(String principal) {
    return db.run("show the grants of '" + principal + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(GRANTS_OF)) {
        stmt.setString(1, principal);
        try (ResultSet rs = stmt.executeQuery()) {
          List<GrantInfo> out = new ArrayList<>();
          while (rs.next()) {
            out.add(grant(rs));
          }
          return out;
        }
      }
    });
  }

  /** The grants that reach the object: on it, on its catalog and on every enclosing namespace. */
  public List<GrantInfo> grantsOn(ObjectRef on) {
    return db.run("show the grants on " + on, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(GRANTS_ON)) {
        bind(conn, stmt, on);
        try (ResultSet rs = stmt.executeQuery()) {
          List<GrantInfo> out = new ArrayList<>();
          while (rs.next()) {
            if (!rs.getBoolean("found")) {
              throw unknown(on);
            }
            if (rs.getString("grantee") != null) {
              out.add(grant(rs));
            }
          }
          return out;
        }
      }
    });
  }

  private Long change(String sql, String what, String grantee, Privilege privilege, ObjectRef on) {
    return db.run(what, e -> SqlErrors.is(e, SqlErrors.UNDEFINED_OBJECT) ? NoSuchObjectException.role(grantee) : null,
        conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(sql)) {
            int next = bind(conn, stmt, on);
            stmt.setString(next, grantee);
            stmt.setString(next + 1, requireNonNull(privilege, "privilege").name());
            try (ResultSet rs = stmt.executeQuery()) {
              rs.next();
              if (rs.getObject(2) == null || on.namespace().isPresent() && rs.getObject(3) == null
                  || on.relation().isPresent() && rs.getObject(4) == null) {
                throw unknown(on);
              }
              long result = rs.getLong(5);
              return rs.wasNull() ? null : result;
            }
          }
        });
  }

  /** Binds the object's four names; returns the next parameter index. */
  private static int bind(Connection conn, PreparedStatement stmt, ObjectRef on) throws SQLException {
    stmt.setString(1, on.tenant());
    stmt.setString(2, on.catalog());
    if (on.namespace().isPresent()) {
      stmt.setArray(3, SqlArrays.text(conn, on.namespace().get()));
    } else {
      stmt.setNull(3, Types.ARRAY);
    }
    stmt.setString(4, on.relation().orElse(null));
    return 5;
  }

  /** Names the first part of the object that does not exist for the caller, without saying which of the two. */
  private static NoSuchObjectException unknown(ObjectRef on) {
    return new NoSuchObjectException("Unknown " + on + ", or the principal holds no privilege on it: check the"
        + " names with 'pangolin catalog list', 'pangolin namespace list' and 'pangolin table list'");
  }

  private static GrantInfo grant(ResultSet rs) throws SQLException {
    List<String> levels = SqlArrays.texts(rs, 5);
    ObjectRef on = new ObjectRef(rs.getString("tenant"), rs.getString("catalog"),
        levels.isEmpty() ? Optional.empty() : Optional.of(levels), Optional.ofNullable(rs.getString("relation")));
    return new GrantInfo(rs.getString("grantee"), Privilege.valueOf(rs.getString("privilege")), on,
        rs.getString("granted_by"), rs.getObject("granted_at", OffsetDateTime.class).toInstant());
  }
}
