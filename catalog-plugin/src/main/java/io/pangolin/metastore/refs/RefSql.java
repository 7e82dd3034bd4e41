package io.pangolin.metastore.refs;

/**
 * The statements behind branches and tags themselves (see V8__branches.sql): resolve, list, create, delete and
 * merge, whole and readable; every change goes through one of the schema's functions. What a ref shows of tables,
 * views and namespaces is read and changed with the statements of the relations package.
 */
final class RefSql {

  private RefSql() {}

  /**
   * A ref's chosen namespaces as two arrays of equal length: every level, and the (1-based) namespace it belongs
   * to. Text arrays cannot nest unevenly, and levels may hold any character but NUL.
   */
  private static final String CHOSEN_NAMESPACES = """
      ARRAY(SELECT e.level FROM jsonb_array_elements(f.namespaces) WITH ORDINALITY s (value, i),
                  jsonb_array_elements_text(s.value) WITH ORDINALITY e (level, j) ORDER BY s.i, e.j) AS chosen_levels,
      ARRAY(SELECT s.i::int FROM jsonb_array_elements(f.namespaces) WITH ORDINALITY s (value, i),
                  jsonb_array_elements_text(s.value) WITH ORDINALITY e (level, j) ORDER BY s.i, e.j) AS chosen_owners
      """;

  static final String RESOLVE_REF = "SELECT f.id, f.kind, " + CHOSEN_NAMESPACES
      + " FROM pangolin.refs f WHERE f.catalog_id = ? AND f.name = ?";

  static final String LIST_REFS = """
      SELECT f.name, f.kind, coalesce(p.name, 'main') AS parent, f.created_at, f.created_by, f.last_merged_at,
      """ + CHOSEN_NAMESPACES + """
      FROM pangolin.refs f LEFT JOIN pangolin.refs p ON p.id = f.parent_id
      WHERE f.catalog_id = ? ORDER BY f.name
      """;

  /** The chosen namespaces go in as the two arrays of {@link #CHOSEN_NAMESPACES}; none: all the source shows. */
  static final String CREATE_REF = """
      SELECT pangolin.create_ref(?, ?, ?, ?,
        (SELECT jsonb_agg(x.levels ORDER BY x.owner)
         FROM (SELECT u.owner, jsonb_agg(u.level ORDER BY u.o) AS levels
               FROM unnest(?::text[], ?::int[]) WITH ORDINALITY u (level, owner, o) GROUP BY u.owner) x))
      """;

  static final String DELETE_REF = "SELECT pangolin.delete_ref(?, ?, ?)";

  /** One row per conflicting table or view; none when the merge was applied. */
  static final String MERGE_REF = "SELECT conflict FROM pangolin.merge_ref(?, ?)";
}
