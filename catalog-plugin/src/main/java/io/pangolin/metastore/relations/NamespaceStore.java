package io.pangolin.metastore.relations;

import static io.pangolin.metastore.relations.CatalogSql.*;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.refs.Ref;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;

/**
 * The namespaces of one catalog in PostgreSQL, with their properties, as main or another ref shows them (a ref's
 * changes are {@link RefNamespaces}'). Each method is one statement (one round trip) unless it says otherwise.
 */
public final class NamespaceStore {

  private final Database db;
  private final CatalogBinding binding;
  /** The ref's own statements; null on main, which keeps today's statements exactly. */
  private final RefNamespaces onRef;

  public NamespaceStore(Database db, CatalogBinding binding) {
    this(db, binding, Ref.MAIN);
  }

  /** The namespaces as {@code ref} shows them. */
  public NamespaceStore(Database db, CatalogBinding binding, Ref ref) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
    this.onRef = requireNonNull(ref, "ref").isMain() ? null : new RefNamespaces(db, binding, ref);
  }

  public void createNamespace(Namespace ns, Map<String, String> properties) {
    if (onRef != null) {
      onRef.create(ns, properties);
      return;
    }
    db.run("create namespace " + ns, e -> {
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        return new AlreadyExistsException("Namespace already exists: %s", ns);
      }
      if (SqlErrors.is(e, SqlErrors.CHECK_VIOLATION) && ns.length() > 1) {
        return new NoSuchNamespaceException(
            "Namespace does not exist: %s (the parent of %s; create the parent first)", parent(ns), ns);
      }
      return null;
    }, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_NAMESPACE)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, NamespaceLevels.of(conn, ns));
        SqlArrays.setProperties(conn, stmt, 3, properties);
        return SqlArrays.callInt(stmt);
      }
    });
  }

  public Optional<Map<String, String>> namespaceProperties(Namespace ns) {
    return db.run("load namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(onRef == null ? NAMESPACE_PROPERTIES
          : RefRelationSql.NAMESPACE_PROPERTIES)) {
        stmt.setArray(bindScope(stmt), NamespaceLevels.of(conn, ns));
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          Map<String, String> props = new LinkedHashMap<>();
          do {
            if (rs.getString(1) != null) {
              props.put(rs.getString(1), rs.getString(2));
            }
          } while (rs.next());
          return Optional.of(props);
        }
      }
    });
  }

  public List<Namespace> listNamespaces(Namespace parent) {
    return db.run("list namespaces in " + parent, null, conn -> {
      boolean top = parent.isEmpty();
      String sql = onRef == null ? (top ? LIST_TOP_NAMESPACES : LIST_CHILD_NAMESPACES)
          : (top ? RefRelationSql.LIST_TOP_NAMESPACES : RefRelationSql.LIST_CHILD_NAMESPACES);
      try (PreparedStatement stmt = conn.prepareStatement(sql)) {
        int next = bindScope(stmt);
        if (!top) {
          stmt.setArray(next, NamespaceLevels.of(conn, parent));
        }
        List<Namespace> out = new ArrayList<>();
        boolean parentExists = top;
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            parentExists = true;
            Array child = rs.getArray(1);
            if (child != null) {
              out.add(Namespace.of((String[]) child.getArray()));
            }
          }
        }
        if (!parentExists) {
          throw new NoSuchNamespaceException("Namespace does not exist: %s", parent);
        }
        return out;
      }
    });
  }

  /** Returns false when the namespace does not exist. */
  public boolean setNamespaceProperties(Namespace ns, Map<String, String> properties) {
    if (onRef != null) {
      return onRef.update(ns, properties, Set.of());
    }
    return db.run("set properties of namespace " + ns, null, conn -> {
      return alter(conn, ns, properties, Set.of());
    });
  }

  /** Returns false when the namespace does not exist. */
  public boolean removeNamespaceProperties(Namespace ns, Set<String> keys) {
    if (onRef != null) {
      return onRef.update(ns, Map.of(), keys);
    }
    return db.run("remove properties of namespace " + ns, null, conn -> {
      return alter(conn, ns, Map.of(), keys);
    });
  }

  /** Returns false when the namespace does not exist; the foreign keys refuse a namespace that is not empty. */
  public boolean dropNamespace(Namespace ns) {
    if (onRef != null) {
      return onRef.drop(ns);
    }
    return db.run("drop namespace " + ns, e -> SqlErrors.is(e, SqlErrors.FOREIGN_KEY_VIOLATION)
        ? new NamespaceNotEmptyException("Namespace %s is not empty: it holds %s; drop or move them first",
            ns, describeContents(ns))
        : null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_NAMESPACE)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, NamespaceLevels.of(conn, ns));
        return SqlArrays.callInt(stmt) == 1;
      }
    });
  }

  private boolean alter(Connection conn, Namespace ns, Map<String, String> set, Set<String> remove)
      throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(ALTER_NAMESPACE)) {
      stmt.setLong(1, binding.catalogId());
      stmt.setArray(2, NamespaceLevels.of(conn, ns));
      SqlArrays.setProperties(conn, stmt, 3, set);
      stmt.setArray(5, conn.createArrayOf("text", remove.toArray(new String[0])));
      return SqlArrays.callInt(stmt) == 1;
    }
  }

  private String describeContents(Namespace ns) {
    return db.run("inspect namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(NAMESPACE_CONTENTS)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, NamespaceLevels.of(conn, ns));
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            return "nothing any more";
          }
          return rs.getLong(1) + " table(s), " + rs.getLong(2) + " view(s) and " + rs.getLong(3)
              + " child namespace(s)";
        }
      }
    });
  }

  /** Binds the catalog (and on a ref, the ref) as the first parameters; returns the next index. */
  private int bindScope(PreparedStatement stmt) throws java.sql.SQLException {
    stmt.setLong(1, binding.catalogId());
    if (onRef == null) {
      return 2;
    }
    stmt.setLong(2, onRef.ref().id());
    return 3;
  }

  static Namespace parent(Namespace ns) {
    String[] levels = ns.levels();
    String[] parent = new String[Math.max(0, levels.length - 1)];
    System.arraycopy(levels, 0, parent, 0, parent.length);
    return Namespace.of(parent);
  }
}
