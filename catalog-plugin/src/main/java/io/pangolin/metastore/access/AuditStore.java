package io.pangolin.metastore.access;

import static io.pangolin.metastore.access.AccessSql.AUDIT;
import static io.pangolin.metastore.access.AccessSql.TENANT_VISIBLE;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the audit trail; row-level security shows a tenant's rows only to its administrators. */
public final class AuditStore {

  private final Database db;

  public AuditStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  public List<AuditEntry> audit(AuditQuery query) {
    return db.run("read the audit trail of tenant '" + query.tenant() + "'", null, conn -> {
      try (PreparedStatement visible = conn.prepareStatement(TENANT_VISIBLE)) {
        visible.setString(1, query.tenant());
        try (ResultSet rs = visible.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            throw new NoSuchObjectException("Unknown tenant '" + query.tenant() + "', or the principal holds no"
                + " privilege in it");
          }
        }
      }
      try (PreparedStatement stmt = conn.prepareStatement(AUDIT)) {
        stmt.setString(1, query.tenant());
        stmt.setString(2, query.object().orElse(null));
        stmt.setObject(3, at(query.since()));
        stmt.setObject(4, at(query.until()));
        stmt.setInt(5, query.limit());
        try (ResultSet rs = stmt.executeQuery()) {
          List<AuditEntry> out = new ArrayList<>();
          while (rs.next()) {
            out.add(entry(rs));
          }
          return out;
        }
      }
    });
  }

  private static OffsetDateTime at(Optional<Instant> instant) {
    return instant.map(i -> i.atOffset(ZoneOffset.UTC)).orElse(null);
  }

  private static AuditEntry entry(ResultSet rs) throws SQLException {
    return new AuditEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
        rs.getString("principal"), rs.getObject("tenant_id", Long.class), rs.getString("object_kind"),
        rs.getObject("object_id", Long.class), rs.getString("object_name"), rs.getString("action"),
        rs.getString("old_pointer"), rs.getString("new_pointer"), rs.getString("detail"));
  }
}
