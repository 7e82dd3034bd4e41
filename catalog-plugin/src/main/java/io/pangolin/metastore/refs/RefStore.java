package io.pangolin.metastore.refs;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The branches and tags of one catalog: create, list, delete and merge, each one call of a schema function that
 * checks the privilege (CREATE_BRANCH, DELETE_BRANCH, MERGE) and writes the audit row in the same transaction.
 * Loads no Iceberg class, so the admin command line can use it.
 */
public final class RefStore {

  /** One branch or tag as listed. {@code parent} is the ref it was made from ('main' for main). */
  public record RefSummary(String name, boolean tag, String parent, Instant createdAt, String createdBy,
      Optional<Instant> lastMergedAt, List<List<String>> namespaces) {

    public RefSummary {
      namespaces = namespaces.stream().map(List::copyOf).toList();
    }
  }

  private final Database db;
  private final CatalogBinding binding;

  public RefStore(Database db, CatalogBinding binding) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
  }

  /** The ref an engine opens the catalog on; an unknown name fails naming it and how to create it. */
  public Ref resolve(String name) {
    if (Ref.MAIN_NAME.equals(name)) {
      return Ref.MAIN;
    }
    return db.run("open branch or tag '" + name + "' of catalog " + binding.qualifiedName(), null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RefSql.RESOLVE_REF)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setString(2, name);
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            throw new NoSuchObjectException("Unknown branch or tag '" + name + "' in catalog "
                + binding.qualifiedName() + " (catalog property 'pangolin.ref'). Create it with 'pangolin branch"
                + " create " + name + " --tenant " + binding.tenant() + " --catalog " + binding.catalog() + "'");
          }
          return new Ref(name, rs.getLong(1), "TAG".equals(rs.getString(2)), chosen(rs, 3));
        }
      }
    });
  }

  public void createBranch(String name, String from) {
    create(name, "BRANCH", from, List.of());
  }

  /**
   * A branch of the chosen namespaces of {@code from} (each a list of levels): it shows only them, their children
   * and what is in them, and refuses writes elsewhere. Empty: all that {@code from} shows.
   */
  public void createBranch(String name, String from, List<List<String>> namespaces) {
    create(name, "BRANCH", from, namespaces);
  }

  /** Pins the state of every table and view {@code fromBranch} shows now. */
  public void createTag(String name, String fromBranch) {
    create(name, "TAG", fromBranch, List.of());
  }

  private void create(String name, String kind, String from, List<List<String>> namespaces) {
    String label = kind.toLowerCase(java.util.Locale.ROOT);
    if (Ref.MAIN_NAME.equals(name)) {
      throw new IllegalArgumentException("Cannot create " + label + " 'main': it is the name of every catalog's"
          + " default branch; choose another name");
    }
    db.run("create " + label + " " + name + " in catalog " + binding.qualifiedName(),
        translate(SqlErrors.nameTaken(label, name)),
        conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(RefSql.CREATE_REF)) {
            stmt.setLong(1, binding.catalogId());
            stmt.setString(2, name);
            stmt.setString(3, kind);
            stmt.setString(4, from);
            List<String> levels = new ArrayList<>();
            List<Integer> owners = new ArrayList<>();
            for (int i = 0; i < namespaces.size(); i++) {
              levels.addAll(namespaces.get(i));
              owners.addAll(java.util.Collections.nCopies(namespaces.get(i).size(), i + 1));
            }
            stmt.setArray(5, SqlArrays.text(conn, levels));
            stmt.setArray(6, conn.createArrayOf("integer", owners.toArray()));
            stmt.execute();
            return null;
          }
        });
  }

  /** Deletes a branch or tag; its own rows go with it, no file is touched. False when there is none. */
  public boolean delete(String name, boolean tag) {
    String label = tag ? "tag" : "branch";
    return db.run("delete " + label + " " + name + " in catalog " + binding.qualifiedName(),
        translate(SqlErrors.inUse("Cannot delete " + label + " '" + name + "' of catalog "
            + binding.qualifiedName() + ": branches or tags were made from it; delete those first")),
        conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(RefSql.DELETE_REF)) {
            stmt.setLong(1, binding.catalogId());
            stmt.setString(2, name);
            stmt.setString(3, tag ? "TAG" : "BRANCH");
            try (ResultSet rs = stmt.executeQuery()) {
              rs.next();
              return rs.getInt(1) == 1;
            }
          }
        });
  }

  public List<RefSummary> list() {
    return db.run("list branches and tags of catalog " + binding.qualifiedName(), null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RefSql.LIST_REFS)) {
        stmt.setLong(1, binding.catalogId());
        List<RefSummary> out = new ArrayList<>();
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            java.sql.Timestamp merged = rs.getTimestamp(6);
            out.add(new RefSummary(rs.getString(1), "TAG".equals(rs.getString(2)), rs.getString(3),
                rs.getTimestamp(4).toInstant(), rs.getString(5),
                Optional.ofNullable(merged).map(java.sql.Timestamp::toInstant), chosen(rs, 7)));
          }
        }
        return out;
      }
    });
  }

  /**
   * Publishes every change of branch {@code source} into {@code target}, its parent, in one transaction; or
   * refuses, naming every table and view both changed, and applies nothing. Moves pointers only: no file is
   * copied or rewritten.
   */
  public void merge(String source, String target) {
    RefSummary src = list().stream().filter(r -> r.name().equals(source)).findFirst()
        .orElseThrow(() -> new NoSuchObjectException("Unknown branch '" + source + "' in catalog "
            + binding.qualifiedName()));
    if (!src.parent().equals(target)) {
      throw new IllegalArgumentException("Cannot merge branch '" + source + "' into '" + target + "': a branch"
          + " merges into the ref it was made from, here '" + src.parent() + "'");
    }
    String what = "merge branch " + source + " into " + target + " in catalog " + binding.qualifiedName();
    List<String> conflicts = db.run(what, translate(e -> null), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RefSql.MERGE_REF)) {
        stmt.setLong(1, binding.catalogId());
        stmt.setString(2, source);
        return SqlArrays.firstColumn(stmt);
      }
    });
    if (!conflicts.isEmpty()) {
      throw new MergeConflictException("Cannot " + what + ": " + target + " changed " + conflicts.size()
          + " table(s), view(s) or namespace(s) that the branch changed too: " + String.join(", ", conflicts)
          + ". Nothing was merged. Bring the branch up to date (or drop its change) and merge again", conflicts);
    }
  }

  /** The chosen namespaces from the two arrays of {@code RefSql.CHOSEN_NAMESPACES} at {@code column}, +1. */
  private static List<List<String>> chosen(ResultSet rs, int column) throws SQLException {
    List<String> levels = SqlArrays.texts(rs, column);
    Object[] owners = (Object[]) rs.getArray(column + 1).getArray();
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < levels.size(); i++) {
      int owner = ((Number) owners[i]).intValue();
      if (out.size() < owner) {
        out.add(new ArrayList<>());
      }
      out.get(owner - 1).add(levels.get(i));
    }
    return out;
  }

  /** The refusals every ref function raises, then {@code specific}. */
  private static Function<SQLException, RuntimeException> translate(
      Function<SQLException, RuntimeException> specific) {
    return e -> {
      if (SqlErrors.is(e, SqlErrors.NO_DATA_FOUND)) {
        return new NoSuchObjectException(SqlErrors.serverText(e));
      }
      if (SqlErrors.is(e, SqlErrors.INVALID_PARAMETER_VALUE)) {
        return new IllegalArgumentException(SqlErrors.serverText(e));
      }
      if (SqlErrors.is(e, SqlErrors.SERIALIZATION_FAILURE)) {
        return new MergeConflictException(SqlErrors.serverText(e) + ". Nothing was merged; merge again", List.of());
      }
      return specific.apply(e);
    };
  }
}
