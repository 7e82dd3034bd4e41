package io.pangolin.metastore;

/**
 * The statements behind branches and tags (see V8__branches.sql), whole and readable. Every read of a relation on
 * a ref is one statement, as on main; every change goes through one of the schema's functions.
 */
final class RefSql {

  private RefSql() {}

  static final String RESOLVE_REF = """
      SELECT id, kind FROM pangolin.refs WHERE catalog_id = ? AND name = ?
      """;

  static final String LIST_REFS = """
      SELECT f.name, f.kind, coalesce(p.name, 'main') AS parent, f.created_at, f.created_by, f.last_merged_at
      FROM pangolin.refs f LEFT JOIN pangolin.refs p ON p.id = f.parent_id
      WHERE f.catalog_id = ? ORDER BY f.name
      """;

  static final String CREATE_REF = "SELECT pangolin.create_ref(?, ?, ?, ?)";

  static final String DELETE_REF = "SELECT pangolin.delete_ref(?, ?, ?)";

  /** One row per conflicting table or view; none when the merge was applied. */
  static final String MERGE_REF = "SELECT conflict FROM pangolin.merge_ref(?, ?)";

  static final String LOAD_POINTER = """
      SELECT p.kind, p.metadata_location,
             (SELECT w.config_version FROM pangolin.warehouses w WHERE w.id = ?) AS warehouse_version
      FROM pangolin.ref_pointer(?, ?, ?, ?) p
      """;

  /** One row with a NULL name for an existing empty namespace; no row when the namespace does not exist. */
  static final String LIST_RELATIONS = """
      SELECT x.name
      FROM pangolin.namespaces n
      LEFT JOIN LATERAL (SELECT l.name FROM pangolin.ref_listing(n.catalog_id, ?, n.levels) l WHERE l.kind = ?) x
        ON true
      WHERE n.catalog_id = ? AND n.levels = ?
      ORDER BY x.name
      """;

  /** 1 when applied, 0 when the ref no longer shows the expected location, -1 when the namespace is missing. */
  static final String WRITE = "SELECT pangolin.ref_write(?, ?, ?, ?, ?, ?)";

  /**
   * A drop (a compare-and-swap to absent) that tells the graveyard trigger in the same statement whether it was a
   * purge: a drop on a ref is kept for undrop there unless purged, as a purge deletes its files at once.
   */
  static final String DROP = """
      WITH purge AS MATERIALIZED (SELECT set_config('pangolin.purge_requested', ?, true))
      SELECT pangolin.ref_write(?, ?, ?, ?, ?, NULL) FROM purge
      """;

  /** The compare-and-swap of a commit and the COMMIT of the transaction PointerSwaps opened, in one round trip. */
  static final String SWAP = """
      SELECT pangolin.ref_write(?, ?, ?, ?, ?, ?);
      COMMIT
      """;

  /** Moves a relation on a ref: a drop at the old name and a create at the new one, in one transaction. */
  static final String RENAME = "SELECT pangolin.ref_rename(?, ?, ?, ?, ?, ?)";

  static final String HOLDERS = "SELECT pangolin.ref_holders(?, ?, ?, ?, ?)";
}
