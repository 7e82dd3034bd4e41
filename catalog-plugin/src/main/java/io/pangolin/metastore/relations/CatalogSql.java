package io.pangolin.metastore.relations;

/**
 * The statements behind the Iceberg-facing catalog, whole and readable. Namespaces are addressed by their
 * levels as a text[] so that any character is allowed in a name; every lookup is covered by a unique index.
 */
final class CatalogSql {

  private CatalogSql() {}

  // Namespaces

  /** 23505 when it exists, 23514 when its parent does not. */
  static final String CREATE_NAMESPACE = "SELECT pangolin.create_namespace(?, ?, jsonb_object(?::text[], ?::text[]))";

  /** One row per property; one row with NULLs for a namespace without properties; none if it does not exist. */
  static final String NAMESPACE_PROPERTIES = """
      SELECT p.key, p.value
      FROM pangolin.namespaces n
      LEFT JOIN LATERAL jsonb_each_text(n.properties) p ON true
      WHERE n.catalog_id = ? AND n.levels = ?
      """;

  static final String LIST_TOP_NAMESPACES = """
      SELECT levels FROM pangolin.namespaces WHERE catalog_id = ? AND parent_id IS NULL ORDER BY levels
      """;

  /** One row with a NULL child for an existing namespace without children; no row when it does not exist. */
  static final String LIST_CHILD_NAMESPACES = """
      SELECT child.levels
      FROM pangolin.namespaces parent
      LEFT JOIN pangolin.namespaces child ON child.parent_id = parent.id
      WHERE parent.catalog_id = ? AND parent.levels = ?
      ORDER BY child.levels
      """;

  /** Sets and removes properties: 1 done, 0 the namespace does not exist for the caller. */
  static final String ALTER_NAMESPACE =
      "SELECT pangolin.alter_namespace(?, ?, jsonb_object(?::text[], ?::text[]), ?::text[])";

  /** 1 dropped, 0 not there for the caller; 23503 while it holds tables, views or namespaces. */
  static final String DROP_NAMESPACE = "SELECT pangolin.drop_namespace(?, ?)";

  static final String NAMESPACE_CONTENTS = """
      SELECT (SELECT count(*) FROM pangolin.relations r WHERE r.namespace_id = n.id AND r.kind = 'TABLE'),
             (SELECT count(*) FROM pangolin.relations r WHERE r.namespace_id = n.id AND r.kind = 'VIEW'),
             (SELECT count(*) FROM pangolin.namespaces c WHERE c.parent_id = n.id)
      FROM pangolin.namespaces n WHERE n.catalog_id = ? AND n.levels = ?
      """;

  // Tables and views

  /**
   * The pointer when the session's principal sees it, else no row; checked by index in the function (V9), so a
   * load costs a principal about what it costs a superuser.
   */
  static final String LOAD_POINTER = """
      SELECT kind, metadata_location, warehouse_version FROM pangolin.load_pointer(?, ?, ?, ?)
      """;

  /** 1 created, 0 the namespace does not exist for the caller; 23505 when the name is taken. */
  static final String CREATE_RELATION = """
      SELECT pangolin.create_relation(rel_name => ?, rel_kind => ?, location => ?, catalog => ?, ns_levels => ?)
      """;

  /**
   * The compare-and-swap, and the COMMIT of the transaction {@link #BEGIN_SWAP} opened, in one round trip: moves
   * the pointer only if it still holds the location the writer started from (answers 1, else 0), and its answer
   * says the change is durable. pgjdbc sees the transaction end and sends nothing more for {@code commit()}. The
   * function (V9) refuses a principal that sees the pointer but may not write it with SQLSTATE 42501.
   */
  static final String SWAP_POINTER = """
      SELECT pangolin.swap_pointer(?, ?, ?, ?, ?, ?);
      COMMIT
      """;

  /**
   * The compare-and-swap of one table of a multi-table commit, in the transaction {@link #BEGIN_SWAP} opened and
   * {@link #COMMIT} ends once every table's swap has answered 1.
   */
  static final String SWAP_POINTER_IN_TRANSACTION = "SELECT pangolin.swap_pointer(?, ?, ?, ?, ?, ?)";

  /** Ends a multi-table commit: sent as a statement of its own so that its answer, too, can be settled. */
  static final String COMMIT = "COMMIT";

  /**
   * Needs DROP where the relation is and CREATE where it goes: 1 moved, 0 not there for the caller; 23502 when
   * the target namespace does not exist, 23505 when the name is taken.
   */
  static final String RENAME_RELATION = """
      SELECT pangolin.rename_relation(catalog => ?, to_levels => ?, to_name => ?, from_levels => ?, from_name => ?,
                                      rel_kind => ?)
      """;

  /**
   * Drops a table or view into the graveyard, marking whether gc is to purge its files: 1 dropped, 0 not there
   * for the caller.
   */
  static final String DROP_RELATION = """
      SELECT pangolin.drop_relation(purge => ?, catalog => ?, ns_levels => ?, rel_name => ?, rel_kind => ?)
      """;

  /** One row with a NULL name for an existing empty namespace; no row when the namespace does not exist. */
  static final String LIST_RELATIONS = """
      SELECT r.name
      FROM pangolin.namespaces n
      LEFT JOIN pangolin.relations r ON r.namespace_id = n.id AND r.kind = ?
      WHERE n.catalog_id = ? AND n.levels = ?
      ORDER BY r.name
      """;

  // Settling a commit whose answer was lost

  /**
   * The first round trip of a swap, in an explicit transaction: names the transaction (assigning its id now, so
   * that its fate can be asked for later from any connection) and bounds it on the server, so that a statement
   * blocked on a lock, or a transaction whose client vanished, ends by itself and is rolled back.
   */
  static final String BEGIN_SWAP = """
      SELECT pg_current_xact_id()::text,
             set_config('statement_timeout', ?, true),
             set_config('lock_timeout', ?, true),
             set_config('idle_in_transaction_session_timeout', ?, true)
      """;

  /** 'committed', 'aborted', 'in progress', or NULL when the id is too old to be known. */
  static final String TRANSACTION_STATUS = "SELECT pg_xact_status(?::xid8)";
}
