package io.pangolin.metastore;

import static io.pangolin.metastore.CatalogSql.CREATE_RELATION;
import static io.pangolin.metastore.CatalogSql.LIST_RELATIONS;
import static io.pangolin.metastore.CatalogSql.LOAD_POINTER;
import static io.pangolin.metastore.CatalogSql.RENAME_RELATION;
import static io.pangolin.metastore.GraveyardSql.DROP_RELATION;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;

/**
 * The pointers of one catalog's tables and views in PostgreSQL: create, load, list, rename, drop, and the
 * compare-and-swap of a commit with the settling of a lost answer (delegated to {@link PointerSwaps}). Each
 * method is one statement (one round trip) unless it says otherwise.
 */
public final class RelationStore {

  private final Database db;
  private final CatalogBinding binding;
  private final PointerSwaps swaps;

  public RelationStore(Database db, CatalogBinding binding) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
    this.swaps = new PointerSwaps(db, binding);
  }

  public Optional<Pointer> loadPointer(TableIdentifier id) {
    return db.run("load " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_POINTER)) {
        stmt.setLong(1, binding.warehouseId());
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, SqlArrays.levels(conn, id.namespace()));
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
        stmt.setArray(5, SqlArrays.levels(conn, id.namespace()));
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

  /**
   * Drops the pointer; the database keeps the relation in its graveyard, marked for gc to purge its files when
   * {@code purge} is set, in the same statement.
   */
  public boolean dropRelation(TableIdentifier id, RelationKind kind, boolean purge) {
    return db.run("drop " + kind.label() + " " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_RELATION)) {
        stmt.setString(1, purge ? "on" : "off");
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, SqlArrays.levels(conn, id.namespace()));
        stmt.setString(4, id.name());
        stmt.setString(5, kind.name());
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
        stmt.setArray(2, SqlArrays.levels(conn, to.namespace()));
        stmt.setString(3, to.name());
        stmt.setLong(4, binding.catalogId());
        stmt.setArray(5, SqlArrays.levels(conn, from.namespace()));
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
        stmt.setArray(3, SqlArrays.levels(conn, ns));
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

  private static String capitalized(RelationKind kind) {
    return kind == RelationKind.TABLE ? "Table" : "View";
  }
}
