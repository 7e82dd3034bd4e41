package io.pangolin.metastore.relations;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.refs.Ref;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * The pointers of one catalog's tables and views as a branch or tag other than main shows them: each read is one
 * statement, as on main; each change is one call of the schema's {@code ref_write}, a compare-and-swap against
 * what the ref shows. {@link RelationStore} hands its work here when it is bound to such a ref.
 */
final class RefRelations {

  private final Database db;
  private final CatalogBinding binding;
  private final Ref ref;
  private final PointerSwaps swaps;

  RefRelations(Database db, CatalogBinding binding, Ref ref, PointerSwaps swaps) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
    this.ref = requireNonNull(ref, "ref");
    this.swaps = requireNonNull(swaps, "swaps");
  }

  /** Refuses any change on a tag before anything is written, saying how to change it instead. */
  void requireWritable(String what) {
    if (ref.tag()) {
      throw new ForbiddenException("Cannot %s in catalog %s: it is opened on tag '%s', and tags are immutable."
          + " Create a branch from it (pangolin branch create <name> --from %s --tenant %s --catalog %s) and open"
          + " the catalog with pangolin.ref=<name>", what, binding.qualifiedName(), ref.name(), ref.name(),
          binding.tenant(), binding.catalog());
    }
  }

  /** As {@link #requireWritable(String)}, and refuses a namespace outside a branch's chosen namespaces. */
  void requireWritable(String what, Namespace ns) {
    requireWritable(what);
    if (!ref.holds(ns.levels())) {
      throw new ForbiddenException("Cannot %s in catalog %s: branch \"%s\" holds only namespaces %s. Write it on a"
          + " branch that holds it, or on main", what, binding.qualifiedName(), ref.name(), ref.namespaceLabel());
    }
  }

  Optional<Pointer> loadPointer(Connection conn, TableIdentifier id) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.LOAD_POINTER)) {
      stmt.setLong(1, binding.warehouseId());
      stmt.setLong(2, binding.catalogId());
      stmt.setLong(3, ref.id());
      stmt.setArray(4, NamespaceLevels.of(conn, id.namespace()));
      stmt.setString(5, id.name());
      return RelationStore.pointer(stmt);
    }
  }

  /** 1 applied, 0 the ref no longer shows {@code expected}, -1 the namespace does not exist. */
  int write(TableIdentifier id, RelationKind kind, String expected, String next) {
    String what = (next == null ? "drop " : expected == null ? "create " : "commit to ") + kind.label() + " " + id
        + " on " + ref.label();
    requireWritable(what);
    return db.run(what, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.WRITE)) {
        bindWrite(conn, stmt, 1, id, kind, expected);
        setNullable(stmt, 6, next);
        return firstInt(stmt);
      }
    });
  }

  /** A drop: 1 applied, 0 the ref no longer shows {@code expected}. Kept for undrop on this ref unless purged. */
  int drop(TableIdentifier id, RelationKind kind, String expected, boolean purge) {
    String what = "drop " + kind.label() + " " + id + " on " + ref.label();
    requireWritable(what);
    return db.run(what, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.DROP)) {
        bindWrite(conn, stmt, 1, id, kind, expected);
        stmt.setBoolean(6, purge);
        return firstInt(stmt);
      }
    });
  }

  private static int firstInt(PreparedStatement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  SwapResult swap(TableIdentifier id, RelationKind kind, String expected, String next) {
    String what = "commit to " + kind.label() + " " + id + " on " + ref.label();
    requireWritable(what);
    return swaps.swap(what, RefRelationSql.SWAP, (conn, stmt) -> {
      bindWrite(conn, stmt, 1, id, kind, expected);
      setNullable(stmt, 6, next);
      return PointerSwaps.answer(stmt);
    });
  }

  /** The ref, name, kind and expected location of a ref_write call, from parameter {@code first} on. */
  private void bindWrite(Connection conn, PreparedStatement stmt, int first, TableIdentifier id, RelationKind kind,
      String expected) throws SQLException {
    stmt.setLong(first, ref.id());
    stmt.setArray(first + 1, NamespaceLevels.of(conn, id.namespace()));
    stmt.setString(first + 2, id.name());
    stmt.setString(first + 3, kind.name());
    setNullable(stmt, first + 4, expected);
  }

  private static void setNullable(PreparedStatement stmt, int index, String value) throws SQLException {
    if (value == null) {
      stmt.setNull(index, Types.VARCHAR);
    } else {
      stmt.setString(index, value);
    }
  }

  /** 1 moved, 0 no such relation on the ref; a taken name or missing namespace raises as on main. */
  int rename(Connection conn, TableIdentifier from, TableIdentifier to, RelationKind kind) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.RENAME)) {
      stmt.setLong(1, ref.id());
      stmt.setArray(2, NamespaceLevels.of(conn, from.namespace()));
      stmt.setString(3, from.name());
      stmt.setArray(4, NamespaceLevels.of(conn, to.namespace()));
      stmt.setString(5, to.name());
      stmt.setString(6, kind.name());
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /** Names in the namespace; null in the list for an existing empty namespace; an empty list when it is missing. */
  List<String> list(Connection conn, Namespace ns, RelationKind kind) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.LIST_RELATIONS)) {
      stmt.setLong(1, ref.id());
      stmt.setString(2, kind.name());
      stmt.setLong(3, binding.catalogId());
      stmt.setArray(4, NamespaceLevels.of(conn, ns));
      return SqlArrays.firstColumn(stmt);
    }
  }

  /** The first column of every row the statement answers. */
  /** The other refs, main included, that show the relation with other metadata than this ref does. */
  static List<String> holders(Connection conn, CatalogBinding binding, Ref ref, TableIdentifier id, boolean dropping)
      throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(RefRelationSql.HOLDERS)) {
      stmt.setLong(1, binding.catalogId());
      if (ref.isMain()) {
        stmt.setNull(2, Types.BIGINT);
      } else {
        stmt.setLong(2, ref.id());
      }
      stmt.setArray(3, NamespaceLevels.of(conn, id.namespace()));
      stmt.setString(4, id.name());
      stmt.setBoolean(5, dropping);
      return SqlArrays.firstColumn(stmt);
    }
  }
}
