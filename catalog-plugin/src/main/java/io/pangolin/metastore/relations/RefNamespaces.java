package io.pangolin.metastore.relations;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.refs.Ref;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * The namespace changes of a branch or tag other than main: each one call of a schema function that resolves the
 * namespace through the ref's overlay, checks the same grants as on main and writes the audit row. Reads are
 * {@link NamespaceStore}'s, with the statements of {@link RefRelationSql}. {@link NamespaceStore} hands its writes here
 * when it is bound to such a ref.
 */
final class RefNamespaces {

  private final Database db;
  private final CatalogBinding binding;
  private final Ref ref;

  RefNamespaces(Database db, CatalogBinding binding, Ref ref) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
    this.ref = requireNonNull(ref, "ref");
  }

  Ref ref() {
    return ref;
  }

  void create(Namespace ns, Map<String, String> properties) {
    int result = call("create namespace " + ns + " on " + ref.label(), RefRelationSql.CREATE_NAMESPACE, ns, stmt -> {
      SqlArrays.setProperties(stmt.getConnection(), stmt, 3, properties);
    });
    if (result == 0) {
      throw new AlreadyExistsException("Namespace already exists: %s (on %s)", ns, ref.label());
    }
    if (result < 0) {
      throw new NoSuchNamespaceException("Namespace does not exist: %s (the parent of %s on %s; create the parent"
          + " first)", NamespaceStore.parent(ns), ns, ref.label());
    }
  }

  boolean drop(Namespace ns) {
    return alter("drop namespace " + ns + " on " + ref.label(), ns, null, Set.of());
  }

  boolean update(Namespace ns, Map<String, String> set, Set<String> remove) {
    return alter((set.isEmpty() ? "remove properties of namespace " : "set properties of namespace ") + ns + " on "
        + ref.label(), ns, set, remove);
  }

  /** {@code set} null drops the namespace. */
  private boolean alter(String what, Namespace ns, Map<String, String> set, Set<String> remove) {
    return call(what, RefRelationSql.ALTER_NAMESPACE, ns, stmt -> {
      if (set == null) {
        stmt.setNull(3, java.sql.Types.ARRAY);
        stmt.setNull(4, java.sql.Types.ARRAY);
      } else {
        SqlArrays.setProperties(stmt.getConnection(), stmt, 3, set);
      }
      stmt.setArray(5, stmt.getConnection().createArrayOf("text", remove.toArray(new String[0])));
    }) == 1;
  }

  private interface Binder {
    void bind(PreparedStatement stmt) throws SQLException;
  }

  private int call(String what, String sql, Namespace ns, Binder rest) {
    return db.run(what, e -> SqlErrors.is(e, SqlErrors.FOREIGN_KEY_VIOLATION)
        ? new NamespaceNotEmptyException("Cannot %s: %s", what, SqlErrors.serverText(e))
        : null, conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(sql)) {
            stmt.setLong(1, ref.id());
            stmt.setArray(2, NamespaceLevels.of(conn, ns));
            rest.bind(stmt);
            try (ResultSet rs = stmt.executeQuery()) {
              rs.next();
              return rs.getInt(1);
            }
          }
        });
  }

}
