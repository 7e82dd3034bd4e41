package io.pangolin.metastore.relations;

/**
 * The statements behind tables, views and namespaces on a branch or tag other than main (see V8__branches.sql and
 * V10__branch_namespaces.sql), whole and readable. Every read is one statement, as on main; every change goes
 * through one of the schema's functions. The refs themselves are created, merged and deleted with RefSql's.
 */
final class RefRelationSql {

  private RefRelationSql() {}

  static final String LOAD_POINTER = """
      SELECT p.kind, p.metadata_location,
             (SELECT w.config_version FROM pangolin.warehouses w WHERE w.id = ?) AS warehouse_version
      FROM pangolin.ref_pointer(?, ?, ?, ?) p
      """;

  /**
   * One row with a NULL name for an existing empty namespace; no row when the namespace does not exist on the ref.
   * Parameters: ref, kind, catalog, levels.
   */
  static final String LIST_RELATIONS = """
      SELECT x.name
      FROM (SELECT ?::bigint AS ref, ?::text AS kind, ?::bigint AS catalog, ?::text[] AS levels) q
      JOIN LATERAL pangolin.ref_namespace(q.catalog, q.ref, q.levels) n ON true
      LEFT JOIN LATERAL (SELECT l.name FROM pangolin.ref_listing(q.catalog, q.ref, q.levels) l WHERE l.kind = q.kind) x
        ON true
      ORDER BY x.name
      """;

  // Namespaces on a ref (see V10__branch_namespaces.sql); reads take catalog, ref, levels as main's take catalog,
  // levels.

  /** One row per property; one row with NULLs for a namespace without properties; none if the ref lacks it. */
  static final String NAMESPACE_PROPERTIES = """
      SELECT p.key, p.value
      FROM pangolin.ref_namespace(?, ?, ?) n
      LEFT JOIN LATERAL jsonb_each_text(n.properties) p ON true
      """;

  static final String LIST_TOP_NAMESPACES = "SELECT c FROM pangolin.ref_child_namespaces(?, ?, '{}') c";

  /** One row with a NULL child for an existing namespace without children; no row when the ref lacks it. */
  static final String LIST_CHILD_NAMESPACES = """
      SELECT c.levels
      FROM (SELECT ?::bigint AS catalog, ?::bigint AS ref, ?::text[] AS levels) q
      JOIN LATERAL pangolin.ref_namespace(q.catalog, q.ref, q.levels) n ON true
      LEFT JOIN LATERAL pangolin.ref_child_namespaces(q.catalog, q.ref, q.levels) c(levels) ON true
      ORDER BY c.levels
      """;

  /** 1 created, 0 the ref shows it already, -1 its parent is missing on the ref. */
  static final String CREATE_NAMESPACE =
      "SELECT pangolin.ref_create_namespace(?, ?, jsonb_object(?::text[], ?::text[]))";

  /**
   * Drops (NULL properties: the third and fourth parameters) or sets and removes properties: 1 done, 0 the ref does
   * not show it; a drop of a namespace that is not empty there raises 23503.
   */
  static final String ALTER_NAMESPACE =
      "SELECT pangolin.ref_alter_namespace(?, ?, jsonb_object(?::text[], ?::text[]), ?::text[])";

  /** 1 when applied, 0 when the ref no longer shows the expected location, -1 when the namespace is missing. */
  static final String WRITE = "SELECT pangolin.ref_write(?, ?, ?, ?, ?, ?)";

  /**
   * A drop (a compare-and-swap to absent): kept for undrop on the ref unless purged, as a purge deletes its files
   * at once.
   */
  static final String DROP = "SELECT pangolin.ref_drop(?, ?, ?, ?, ?, ?)";

  /** The compare-and-swap of a commit and the COMMIT of the transaction PointerSwaps opened, in one round trip. */
  static final String SWAP = """
      SELECT pangolin.ref_write(?, ?, ?, ?, ?, ?);
      COMMIT
      """;

  /** Moves a relation on a ref: a drop at the old name and a create at the new one, in one transaction. */
  static final String RENAME = "SELECT pangolin.ref_rename(?, ?, ?, ?, ?, ?)";

  static final String HOLDERS = "SELECT pangolin.ref_holders(?, ?, ?, ?, ?)";
}
