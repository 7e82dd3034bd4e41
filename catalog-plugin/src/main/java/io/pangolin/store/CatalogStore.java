package io.pangolin.store;

import static io.pangolin.store.CatalogSql.*;
import static java.util.Objects.requireNonNull;

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
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * Catalog state of one catalog in PostgreSQL: namespaces and the pointers of its tables and views. Each method
 * is one statement (one round trip) unless it says otherwise.
 */
public final class CatalogStore {

  private final Database db;
  private final CatalogBinding binding;
  private final PointerSwaps swaps;

  public CatalogStore(Database db, CatalogBinding binding) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
    this.swaps = new PointerSwaps(db, binding);
  }

  public CatalogBinding binding() {
    return binding;
  }

  /** Resolves tenant and catalog by name, once per catalog instance. */
  public static CatalogBinding resolve(Database db, String tenant, String catalog) {
    return db.run("open catalog '" + catalog + "' of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RESOLVE_CATALOG)) {
        stmt.setString(1, catalog);
        stmt.setString(2, tenant);
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalArgumentException(
                "Unknown Pangolin tenant '" + tenant + "': check the catalog property 'pangolin.tenant',"
                    + " or create the tenant with 'pangolin tenant create " + tenant + "'");
          }
          long catalogId = rs.getLong("catalog_id");
          if (rs.wasNull()) {
            throw new IllegalArgumentException(
                "Unknown Pangolin catalog '" + catalog + "' in tenant '" + tenant + "': check the catalog property"
                    + " 'pangolin.catalog' (it defaults to the engine's catalog name), or create it with"
                    + " 'pangolin catalog create --tenant " + tenant + " " + catalog + " --warehouse <name>'");
          }
          return new CatalogBinding(
              rs.getLong("tenant_id"), tenant, catalogId, catalog, rs.getString("jdbc_name"),
              rs.getLong("warehouse_id"), Map.of());
        }
      }
    });
  }

  // Namespaces

  public void createNamespace(Namespace ns, Map<String, String> properties) {
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
        stmt.setLong(2, binding.catalogId());
        // For a top-level namespace the parent's levels are empty, which no namespace has.
        stmt.setArray(3, levels(conn, parent(ns)));
        stmt.setArray(4, levels(conn, ns));
        SqlArrays.setProperties(conn, stmt, 5, properties);
        return stmt.executeUpdate();
      }
    });
  }

  public Optional<Map<String, String>> namespaceProperties(Namespace ns) {
    return db.run("load namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(NAMESPACE_PROPERTIES)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, levels(conn, ns));
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
      try (PreparedStatement stmt = conn.prepareStatement(top ? LIST_TOP_NAMESPACES : LIST_CHILD_NAMESPACES)) {
        stmt.setLong(1, binding.catalogId());
        if (!top) {
          stmt.setArray(2, levels(conn, parent));
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
    return db.run("set properties of namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_NAMESPACE_PROPERTIES)) {
        SqlArrays.setProperties(conn, stmt, 1, properties);
        stmt.setLong(3, binding.catalogId());
        stmt.setArray(4, levels(conn, ns));
        return stmt.executeUpdate() == 1;
      }
    });
  }

  /** Returns false when the namespace does not exist. */
  public boolean removeNamespaceProperties(Namespace ns, Set<String> keys) {
    return db.run("remove properties of namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(REMOVE_NAMESPACE_PROPERTIES)) {
        stmt.setArray(1, conn.createArrayOf("text", keys.toArray(new String[0])));
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, levels(conn, ns));
        return stmt.executeUpdate() == 1;
      }
    });
  }

  /** Returns false when the namespace does not exist; the foreign keys refuse a namespace that is not empty. */
  public boolean dropNamespace(Namespace ns) {
    return db.run("drop namespace " + ns, e -> SqlErrors.is(e, SqlErrors.FOREIGN_KEY_VIOLATION)
        ? new NamespaceNotEmptyException("Namespace %s is not empty: it holds %s; drop or move them first",
            ns, describeContents(ns))
        : null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_NAMESPACE)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, levels(conn, ns));
        return stmt.executeUpdate() == 1;
      }
    });
  }

  private String describeContents(Namespace ns) {
    return db.run("inspect namespace " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(NAMESPACE_CONTENTS)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, levels(conn, ns));
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

  // Tables and views

  public Optional<Pointer> loadPointer(TableIdentifier id) {
    return db.run("load " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_POINTER)) {
        stmt.setLong(1, binding.warehouseId());
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, levels(conn, id.namespace()));
        stmt.setString(4, id.name());
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          return Optional.of(new Pointer(
              RelationKind.valueOf(rs.getString(1)), rs.getString(2), rs.getLong(3)));
        }
      }
    });
  }

  /** Creates the pointer of a new table or view; refuses a name already held by either. */
  public void createRelation(TableIdentifier id, RelationKind kind, String metadataLocation) {
    int created = db.run("create " + kind.label() + " " + id, e -> SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)
        ? alreadyExists(id, kind)
        : null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_RELATION)) {
        stmt.setString(1, id.name());
        stmt.setString(2, kind.name());
        stmt.setString(3, metadataLocation);
        stmt.setLong(4, binding.catalogId());
        stmt.setArray(5, levels(conn, id.namespace()));
        return stmt.executeUpdate();
      }
    });
    if (created == 0) {
      throw new NoSuchNamespaceException(
          "Namespace does not exist: %s (cannot create %s %s; create the namespace first)",
          id.namespace(), kind.label(), id);
    }
  }

  private AlreadyExistsException alreadyExists(TableIdentifier id, RelationKind wanted) {
    RelationKind holder = loadPointer(id).map(Pointer::kind).orElse(wanted);
    return holder == wanted
        ? new AlreadyExistsException("%s already exists: %s", capitalized(wanted), id)
        : new AlreadyExistsException("%s with same name already exists: %s", capitalized(holder), id);
  }

  private AlreadyExistsException renameTargetExists(TableIdentifier from, TableIdentifier to, RelationKind kind) {
    RelationKind holder = loadPointer(to).map(Pointer::kind).orElse(kind);
    return new AlreadyExistsException("Cannot rename %s to %s. %s already exists", from, to, capitalized(holder));
  }

  /**
   * Moves the pointer from {@code expected} to {@code next} in a transaction of two round trips (see
   * {@link PointerSwaps}). A lost answer is reported as {@link SwapResult.Outcome#UNKNOWN}, never retried here: a
   * blind retry of an applied swap would look like a conflict and make the engine apply its change twice.
   */
  public SwapResult swap(TableIdentifier id, RelationKind kind, String expected, String next) {
    return swaps.swap(id, kind, expected, next);
  }

  /**
   * Waits, on other connections, until the server has decided the transaction of a swap whose answer was lost,
   * for at most as long as the server-side limits of the swap allow it to run.
   */
  public SwapResult.Fate settleLostSwap(SwapResult lost) {
    return swaps.fate(lost);
  }

  public boolean dropRelation(TableIdentifier id, RelationKind kind) {
    return db.run("drop " + kind.label() + " " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_RELATION)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, levels(conn, id.namespace()));
        stmt.setString(3, id.name());
        stmt.setString(4, kind.name());
        return stmt.executeUpdate() == 1;
      }
    });
  }

  public void renameRelation(TableIdentifier from, TableIdentifier to, RelationKind kind) {
    int renamed = db.run("rename " + kind.label() + " " + from + " to " + to, e -> {
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        return renameTargetExists(from, to, kind);
      }
      if (SqlErrors.is(e, SqlErrors.NOT_NULL_VIOLATION)) {
        return new NoSuchNamespaceException(
            "Namespace does not exist: %s (cannot rename %s to %s)", to.namespace(), from, to);
      }
      return null;
    }, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RENAME_RELATION)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, levels(conn, to.namespace()));
        stmt.setString(3, to.name());
        stmt.setLong(4, binding.catalogId());
        stmt.setArray(5, levels(conn, from.namespace()));
        stmt.setString(6, from.name());
        stmt.setString(7, kind.name());
        return stmt.executeUpdate();
      }
    });
    if (renamed == 0) {
      throw kind == RelationKind.TABLE
          ? new NoSuchTableException("Table does not exist: %s (cannot rename it to %s)", from, to)
          : new NoSuchViewException("View does not exist: %s (cannot rename it to %s)", from, to);
    }
  }

  public List<TableIdentifier> listRelations(Namespace ns, RelationKind kind) {
    return db.run("list " + kind.label() + "s in " + ns, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_RELATIONS)) {
        stmt.setString(1, kind.name());
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, levels(conn, ns));
        List<TableIdentifier> out = new ArrayList<>();
        boolean exists = false;
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            exists = true;
            String name = rs.getString(1);
            if (name != null) {
              out.add(TableIdentifier.of(ns, name));
            }
          }
        }
        if (!exists) {
          throw new NoSuchNamespaceException("Namespace does not exist: %s", ns);
        }
        return out;
      }
    });
  }

  static Array levels(Connection conn, Namespace ns) throws SQLException {
    return conn.createArrayOf("text", ns.levels());
  }

  private static Namespace parent(Namespace ns) {
    String[] levels = ns.levels();
    String[] parent = new String[Math.max(0, levels.length - 1)];
    System.arraycopy(levels, 0, parent, 0, parent.length);
    return Namespace.of(parent);
  }

  private static String capitalized(RelationKind kind) {
    return kind == RelationKind.TABLE ? "Table" : "View";
  }
}
