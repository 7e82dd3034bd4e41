package io.pangolin.metastore.relations;

import static io.pangolin.metastore.relations.CatalogSql.CREATE_RELATION;
import static io.pangolin.metastore.relations.CatalogSql.DROP_RELATION;
import static io.pangolin.metastore.relations.CatalogSql.LIST_RELATIONS;
import static io.pangolin.metastore.relations.CatalogSql.LOAD_POINTER;
import static io.pangolin.metastore.relations.CatalogSql.RENAME_RELATION;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.pool.ReadSnapshots;
import io.pangolin.metastore.refs.Ref;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * The pointers of one catalog's tables and views in PostgreSQL: create, load, list, rename, drop, and the
 * compare-and-swap of a commit with the settling of a lost answer (delegated to {@link PointerSwaps}). Each
 * method is one statement (one round trip) unless it says otherwise.
 */
public final class RelationStore {

  private final Database db;
  private final CatalogBinding binding;
  private final PointerSwaps swaps;
  private final Ref ref;
  /** The ref's own statements; null on main, which keeps today's statements exactly. */
  private final RefRelations onRef;
  private final ReadSnapshots reads;

  public RelationStore(Database db, CatalogBinding binding) {
    this(db, binding, Ref.MAIN);
  }

  /** The relations as {@code ref} shows them. */
  public RelationStore(Database db, CatalogBinding binding, Ref ref) {
    this(db, binding, ref, ReadSnapshots.off(db));
  }

  /** The relations as {@code ref} shows them, with engine loads in {@code reads}' bursts. */
  public RelationStore(Database db, CatalogBinding binding, Ref ref, ReadSnapshots reads) {
    this.db = requireNonNull(db, "db");
    this.reads = requireNonNull(reads, "reads");
    this.binding = requireNonNull(binding, "binding");
    this.ref = requireNonNull(ref, "ref");
    this.swaps = new PointerSwaps(db, binding);
    this.onRef = ref.isMain() ? null : new RefRelations(db, binding, ref, swaps);
  }

  public Ref ref() {
    return ref;
  }

  /** Refuses a change on a tag, before any file is written for it. */
  public void requireWritable(String what) {
    if (onRef != null) {
      onRef.requireWritable(what);
    }
  }

  /** As {@link #requireWritable(String)}, and refuses a namespace outside a branch's chosen namespaces. */
  public void requireWritable(String what, Namespace ns) {
    if (onRef != null) {
      onRef.requireWritable(what, ns);
    }
  }

  /**
   * The other refs (main included) that show the table with other metadata than this store's ref, or when
   * {@code dropping} that show it at all: files this ref no longer needs may still be theirs.
   */
  public List<String> otherHolders(TableIdentifier id, boolean dropping) {
    return db.run("find the branches and tags holding " + id, null,
        conn -> RefRelations.holders(conn, binding, ref, id, dropping));
  }

  /**
   * Refuses a purge while another branch or tag (main included) still shows the table: it would delete files they
   * need. Dropping without purge is safe.
   */
  public void requireSoleHolder(TableIdentifier id, String fullName) {
    List<String> holders = otherHolders(id, true);
    if (!holders.isEmpty()) {
      throw new ForbiddenException("Cannot drop table %s with PURGE on %s: %s still show(s) it, and purging would"
          + " delete files they need. Drop it without PURGE; orphan-file removal frees its files once no branch"
          + " or tag holds them", fullName, ref.label(), String.join(", ", holders));
    }
  }

  /**
   * The pointer an engine's load reads: with consistent reads on, as the calling thread's burst of loads sees the
   * catalog ({@link ReadSnapshots}); otherwise as it is now.
   */
  public Optional<Pointer> loadPointer(TableIdentifier id) {
    return reads.read("load " + id + onRef(), id, conn -> pointerOn(conn, id));
  }

  /** The pointer as it is now, whatever burst the calling thread reads in: for checks around a write. */
  public Optional<Pointer> currentPointer(TableIdentifier id) {
    return db.run("load " + id + onRef(), null, conn -> pointerOn(conn, id));
  }

  /** Ends the calling thread's consistent-reads burst, so that its next load sees what is current. */
  public void endReadSnapshot() {
    reads.end();
  }

  private String onRef() {
    return onRef == null ? "" : " on " + ref.label();
  }

  private Optional<Pointer> pointerOn(Connection conn, TableIdentifier id) throws SQLException {
    if (onRef != null) {
      return onRef.loadPointer(conn, id);
    }
    try (PreparedStatement stmt = conn.prepareStatement(LOAD_POINTER)) {
      stmt.setLong(1, binding.warehouseId());
      stmt.setLong(2, binding.catalogId());
      stmt.setArray(3, NamespaceLevels.of(conn, id.namespace()));
      stmt.setString(4, id.name());
      return pointer(stmt);
    }
  }

  /** The pointer a load statement answers: kind, metadata location and warehouse configuration version. */
  static Optional<Pointer> pointer(PreparedStatement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(new Pointer(RelationKind.valueOf(rs.getString(1)), rs.getString(2), rs.getLong(3)));
    }
  }

  /** Creates the pointer of a new table or view; refuses a name already held by either. */
  public void createRelation(TableIdentifier id, RelationKind kind, String metadataLocation) {
    reads.end();
    if (onRef != null) {
      int created = onRef.write(id, kind, null, metadataLocation);
      if (created == 0) {
        throw RelationErrors.alreadyExists(id, kind, holder(id, kind));
      }
      if (created < 0) {
        throw RelationErrors.noNamespaceToCreateIn(id, kind);
      }
      return;
    }
    int created = db.run("create " + kind.label() + " " + id, e -> SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)
        ? RelationErrors.alreadyExists(id, kind, holder(id, kind))
        : null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_RELATION)) {
        stmt.setString(1, id.name());
        stmt.setString(2, kind.name());
        stmt.setString(3, metadataLocation);
        stmt.setLong(4, binding.catalogId());
        stmt.setArray(5, NamespaceLevels.of(conn, id.namespace()));
        return SqlArrays.callInt(stmt);
      }
    });
    if (created == 0) {
      throw RelationErrors.noNamespaceToCreateIn(id, kind);
    }
  }

  /** Which relation holds the name now; {@code otherwise} if none does any more. */
  private RelationKind holder(TableIdentifier id, RelationKind otherwise) {
    return currentPointer(id).map(Pointer::kind).orElse(otherwise);
  }

  /**
   * Moves the pointer from {@code expected} to {@code next} in a transaction of two round trips (see
   * {@link PointerSwaps}). A lost answer is reported as {@link SwapResult.Outcome#UNKNOWN}, never retried here: a
   * blind retry of an applied swap would look like a conflict and make the engine apply its change twice.
   */
  public SwapResult swap(TableIdentifier id, RelationKind kind, String expected, String next) {
    reads.end();
    return onRef != null ? onRef.swap(id, kind, expected, next) : swaps.swap(id, kind, expected, next);
  }

  /**
   * Moves the pointers of several tables in one transaction, all or none (see {@link PointerSwaps#swapAll}); on
   * main only: a branch's or tag's writes go through its own compare-and-swap, one table at a time.
   */
  public SwapAllResult swapAll(List<PointerMove> moves) {
    if (onRef != null) {
      throw new UnsupportedOperationException("Cannot commit to several tables at once in catalog "
          + binding.qualifiedName() + " on " + ref.label() + ": multi-table commits are made on main only. Commit"
          + " the tables one at a time, or open the catalog on main");
    }
    reads.end();
    return swaps.swapAll(moves);
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
   * {@code purge} is set, in the same statement. On a branch the drop is a compare-and-swap to absent there, and
   * the graveyard, which keeps main's drops only, is not involved.
   */
  public boolean dropRelation(TableIdentifier id, RelationKind kind, boolean purge) {
    reads.end();
    if (onRef != null) {
      // Read, then compare-and-swap to absent; a writer that moved the pointer in between makes it read again.
      Optional<Pointer> current = currentPointer(id).filter(p -> p.kind() == kind);
      while (current.isPresent()) {
        if (onRef.drop(id, kind, current.get().metadataLocation(), purge) == 1) {
          return true;
        }
        current = currentPointer(id).filter(p -> p.kind() == kind);
      }
      return false;
    }
    return db.run("drop " + kind.label() + " " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(DROP_RELATION)) {
        stmt.setBoolean(1, purge);
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, NamespaceLevels.of(conn, id.namespace()));
        stmt.setString(4, id.name());
        stmt.setString(5, kind.name());
        return SqlArrays.callInt(stmt) == 1;
      }
    });
  }

  public void renameRelation(TableIdentifier from, TableIdentifier to, RelationKind kind) {
    reads.end();
    int renamed = db.run("rename " + kind.label() + " " + from + " to " + to, e -> {
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        return RelationErrors.renameTargetExists(from, to, holder(to, kind));
      }
      if (SqlErrors.is(e, SqlErrors.NOT_NULL_VIOLATION)) {
        return RelationErrors.noNamespaceToRenameInto(from, to);
      }
      return null;
    }, conn -> {
      if (onRef != null) {
        requireWritable("rename " + kind.label() + " " + from);
        return onRef.rename(conn, from, to, kind);
      }
      try (PreparedStatement stmt = conn.prepareStatement(RENAME_RELATION)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setArray(2, NamespaceLevels.of(conn, to.namespace()));
        stmt.setString(3, to.name());
        stmt.setArray(4, NamespaceLevels.of(conn, from.namespace()));
        stmt.setString(5, from.name());
        stmt.setString(6, kind.name());
        return SqlArrays.callInt(stmt);
      }
    });
    if (renamed == 0) {
      throw RelationErrors.noRelationToRename(from, to, kind);
    }
  }

  public List<TableIdentifier> listRelations(Namespace ns, RelationKind kind) {
    return db.run("list " + kind.label() + "s in " + ns, null, conn -> {
      if (onRef != null) {
        List<String> names = onRef.list(conn, ns, kind);
        if (names.isEmpty()) {
          throw RelationErrors.noNamespace(ns);
        }
        return names.stream().filter(java.util.Objects::nonNull).map(n -> TableIdentifier.of(ns, n)).toList();
      }
      try (PreparedStatement stmt = conn.prepareStatement(LIST_RELATIONS)) {
        stmt.setString(1, kind.name());
        stmt.setLong(2, binding.catalogId());
        stmt.setArray(3, NamespaceLevels.of(conn, ns));
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
          throw RelationErrors.noNamespace(ns);
        }
        return out;
      }
    });
  }
}
