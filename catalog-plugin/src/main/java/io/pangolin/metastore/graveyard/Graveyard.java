package io.pangolin.metastore.graveyard;

import static io.pangolin.metastore.graveyard.GraveyardSql.COLLECT;
import static io.pangolin.metastore.graveyard.GraveyardSql.DROP_RETENTION;
import static io.pangolin.metastore.graveyard.GraveyardSql.DUE_FOR_GC;
import static io.pangolin.metastore.graveyard.GraveyardSql.LAST_DROP;
import static io.pangolin.metastore.graveyard.GraveyardSql.LIST_DROPPED;
import static io.pangolin.metastore.graveyard.GraveyardSql.LOCATION_IN_USE;
import static io.pangolin.metastore.graveyard.GraveyardSql.REF_EXISTS;
import static io.pangolin.metastore.graveyard.GraveyardSql.REQUEST_PURGE;
import static io.pangolin.metastore.graveyard.GraveyardSql.REQUIRE_GC;
import static io.pangolin.metastore.graveyard.GraveyardSql.SET_DROP_RETENTION;
import static io.pangolin.metastore.graveyard.GraveyardSql.UNDROP;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.metastore.ObjectInUseException;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.refs.Ref;
import io.pangolin.metastore.relations.RelationKind;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The graveyard of dropped tables and views: what can be restored, restoring it, and gc's bookkeeping. The rules
 * (who may, what is refused) live in the database functions of migration V7; this class calls them. Uses no
 * Iceberg class, so the admin command line runs on the plugin jar alone.
 */
public final class Graveyard {

  /** A dropped table or view waiting in the graveyard; {@code ref} is the branch it was dropped from, or 'main'. */
  public record Dropped(long id, String catalog, List<String> namespace, String name, String kind,
      String metadataLocation, Instant droppedAt, String droppedBy, boolean purgeRequested, Instant retainUntil,
      long warehouseId, String ref) {
    public Dropped {
      namespace = List.copyOf(namespace);
    }

    public String qualifiedName() {
      return String.join(".", namespace) + "." + name;
    }
  }

  /** A relation restored by undrop, under the name it now has; {@code relationId} is 0 on a branch (no id there). */
  public record Restored(long relationId, String kind, List<String> namespace, String name, String metadataLocation) {
    public Restored {
      namespace = List.copyOf(namespace);
    }

    public String qualifiedName() {
      return String.join(".", namespace) + "." + name;
    }
  }

  /** When a name was last dropped, and until when it can be restored. */
  public record LastDrop(Instant droppedAt, Instant retainUntil, boolean purgeRequested) {}

  private final Database db;

  public Graveyard(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** What was dropped from {@code ref} ('main' for main) and can still be restored there. */
  public List<Dropped> list(String tenant, String catalog, String ref) {
    dropRetention(tenant, catalog);
    return db.run("list dropped tables of catalog '" + catalog + "' on " + ref, null, conn -> {
      if (!Ref.MAIN_NAME.equals(ref)) {
        try (PreparedStatement stmt = conn.prepareStatement(REF_EXISTS)) {
          stmt.setString(1, tenant);
          stmt.setString(2, catalog);
          stmt.setString(3, ref);
          try (ResultSet rs = stmt.executeQuery()) {
            if (!rs.next()) {
              throw new NoSuchObjectException("Unknown branch '" + ref + "' in catalog '" + catalog + "' of tenant '"
                  + tenant + "'. See the branches with 'pangolin branch list'");
            }
          }
        }
      }
      try (PreparedStatement stmt = conn.prepareStatement(LIST_DROPPED)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog);
        stmt.setString(3, ref);
        return dropped(stmt);
      }
    });
  }

  /** The latest drop of a name from {@code ref} in a catalog the principal may see, if the graveyard still holds it. */
  public Optional<LastDrop> lastDrop(long catalogId, Ref ref, List<String> namespace, String name,
      RelationKind kind) {
    return db.run("look up dropped " + kind.label() + " " + name, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LAST_DROP)) {
        stmt.setLong(1, catalogId);
        stmt.setArray(2, SqlArrays.text(conn, namespace));
        stmt.setString(3, name);
        stmt.setString(4, kind.name());
        if (ref.isMain()) {
          stmt.setNull(5, Types.BIGINT);
        } else {
          stmt.setLong(5, ref.id());
        }
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next()
              ? Optional.of(new LastDrop(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant(), rs.getBoolean(3)))
              : Optional.empty();
        }
      }
    });
  }

  /** Marks the latest drop of table {@code name} by this principal for purge by gc; false if there is none. */
  public boolean requestPurge(long catalogId, List<String> namespace, String name) {
    return db.run("request purge of dropped table " + name, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(REQUEST_PURGE)) {
        stmt.setLong(1, catalogId);
        stmt.setArray(2, SqlArrays.text(conn, namespace));
        stmt.setString(3, name);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getBoolean(1);
        }
      }
    });
  }

  /**
   * Restores the relation {@code namespace.name} dropped from {@code ref} ('main' for main; the one with graveyard
   * id {@code id} when given) on that ref only, under its own name or under {@code newNamespace.newName}.
   */
  public Restored undrop(String tenant, String catalog, String ref, List<String> namespace, String name,
      OptionalLong id, Optional<List<String>> newNamespace, Optional<String> newName) {
    String shown = String.join(".", namespace) + "." + name;
    return db.run("undrop " + shown + " in catalog '" + catalog + "' on " + ref, Graveyard::refusal, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(UNDROP)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog);
        stmt.setString(3, ref);
        stmt.setArray(4, SqlArrays.text(conn, namespace));
        stmt.setString(5, name);
        if (id.isPresent()) {
          stmt.setLong(6, id.getAsLong());
        } else {
          stmt.setNull(6, Types.BIGINT);
        }
        stmt.setArray(7, newNamespace.isPresent() ? SqlArrays.text(conn, newNamespace.get()) : null);
        stmt.setString(8, newName.orElse(null));
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return new Restored(rs.getLong(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
              rs.getString(4), rs.getString(5));
        }
      }
    });
  }

  /**
   * Refuses unless the principal holds GC on the catalog (or on every catalog of the tenant it sees, when
   * {@code catalog} is empty); returns the catalogs gc will collect.
   */
  public List<String> requireGc(String tenant, Optional<String> catalog) {
    List<String> catalogs = db.run("gc tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(REQUIRE_GC)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog.orElse(null));
        stmt.setString(3, catalog.orElse(null));
        List<String> out = new ArrayList<>();
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
        return out;
      }
    });
    if (catalogs.isEmpty() && catalog.isPresent()) {
      throw unknownCatalog(tenant, catalog.get());
    }
    return catalogs;
  }

  /** The graveyard rows whose retention has ended, oldest drop first. */
  public List<Dropped> dueForGc(String tenant, Optional<String> catalog) {
    return db.run("list dropped tables due for gc in tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DUE_FOR_GC)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog.orElse(null));
        stmt.setString(3, catalog.orElse(null));
        return dropped(stmt);
      }
    });
  }

  /** Whether any pointer but graveyard row {@code exceptId} references files under {@code location}. */
  public boolean locationInUse(String location, long exceptId) {
    return db.run("check whether " + location + " is in use", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOCATION_IN_USE)) {
        stmt.setString(1, location);
        stmt.setLong(2, exceptId);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getBoolean(1);
        }
      }
    });
  }

  /** Forgets a graveyard row whose retention has ended and records it; false when it was already gone. */
  public boolean collect(Dropped dropped, boolean filesDeleted) {
    return db.run("gc dropped " + dropped.kind().toLowerCase(java.util.Locale.ROOT) + " " + dropped.qualifiedName(),
        Graveyard::refusal, conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(COLLECT)) {
            stmt.setLong(1, dropped.id());
            stmt.setBoolean(2, filesDeleted);
            try (ResultSet rs = stmt.executeQuery()) {
              rs.next();
              return rs.getBoolean(1);
            }
          }
        });
  }

  public void setDropRetention(String tenant, String catalog, Duration retention) {
    if (retention.isNegative()) {
      throw new IllegalArgumentException("Invalid drop retention " + retention + " for catalog '" + catalog
          + "': use zero or more, e.g. 7d, 36h or 0s");
    }
    int updated = db.run("set the drop retention of catalog '" + catalog + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_DROP_RETENTION)) {
        stmt.setLong(1, retention.toSeconds());
        stmt.setString(2, tenant);
        stmt.setString(3, catalog);
        return SqlArrays.callInt(stmt);
      }
    });
    if (updated == 0) {
      throw unknownCatalog(tenant, catalog);
    }
  }

  public Duration dropRetention(String tenant, String catalog) {
    Long seconds = db.run("read the drop retention of catalog '" + catalog + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_RETENTION)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog);
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() ? rs.getLong(1) : null;
        }
      }
    });
    if (seconds == null) {
      throw unknownCatalog(tenant, catalog);
    }
    return Duration.ofSeconds(seconds);
  }

  private static List<Dropped> dropped(PreparedStatement stmt) throws SQLException {
    List<Dropped> out = new ArrayList<>();
    try (ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        out.add(new Dropped(rs.getLong(1), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
            rs.getString(4), rs.getString(5), rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8),
            rs.getBoolean(9), rs.getTimestamp(10).toInstant(), rs.getLong(11), rs.getString(12)));
      }
    }
    return out;
  }

  private static NoSuchObjectException unknownCatalog(String tenant, String catalog) {
    return new NoSuchObjectException("Unknown catalog '" + catalog + "' in tenant '" + tenant + "'");
  }

  /** The graveyard functions' refusals carry their own message and fix; this keeps them whole. */
  private static RuntimeException refusal(SQLException e) {
    Function<String, RuntimeException> kind = switch (SqlErrors.state(e)) {
      case SqlErrors.UNDEFINED_OBJECT, SqlErrors.FOREIGN_KEY_VIOLATION -> NoSuchObjectException::new;
      case SqlErrors.UNIQUE_VIOLATION -> ObjectExistsException::new;
      case SqlErrors.NOT_IN_PREREQUISITE_STATE -> ObjectInUseException::new;
      case SqlErrors.CARDINALITY_VIOLATION -> IllegalArgumentException::new;
      default -> null;
    };
    return kind == null ? null : kind.apply(SqlErrors.serverMessage(e));
  }
}
