package io.pangolin.metastore.graveyard;

/** The statements of the graveyard of dropped tables and views (migration V7), whole and readable. */
final class GraveyardSql {

  private GraveyardSql() {}

  /** The latest drop of a name from one ref (NULL: main), for the message a reader of a dropped table gets. */
  static final String LAST_DROP = """
      SELECT d.dropped_at, d.retain_until, d.purge_requested
      FROM pangolin.dropped_relations d
      WHERE d.catalog_id = ? AND d.namespace_levels = ? AND d.name = ? AND d.kind = ?
        AND d.ref_id IS NOT DISTINCT FROM ?::bigint
      ORDER BY d.id DESC LIMIT 1
      """;

  private static final String DROPPED_COLUMNS = """
      SELECT d.id, c.name AS catalog, d.namespace_levels, d.name, d.kind, d.metadata_location, d.dropped_at,
             d.dropped_by, d.purge_requested, d.retain_until, c.warehouse_id, coalesce(f.name, 'main') AS ref
      FROM pangolin.dropped_relations d
      JOIN pangolin.catalogs c ON c.id = d.catalog_id
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      LEFT JOIN pangolin.refs f ON f.id = d.ref_id
      """;

  /** The drops of one ref ('main' for main). */
  static final String LIST_DROPPED = DROPPED_COLUMNS + """
      WHERE t.name = ? AND c.name = ? AND coalesce(f.name, 'main') = ?
      ORDER BY d.namespace_levels, d.name, d.id
      """;

  /** One row when the catalog has a branch or tag of that name. */
  static final String REF_EXISTS = """
      SELECT 1 FROM pangolin.refs f
      JOIN pangolin.catalogs c ON c.id = f.catalog_id
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE t.name = ? AND c.name = ? AND f.name = ?
      """;

  /** Refuses (42501) unless the principal holds GC on every catalog named; one row per catalog it sees. */
  static final String REQUIRE_GC = """
      SELECT c.name, pangolin.require_gc(c.id)
      FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE t.name = ? AND (?::text IS NULL OR c.name = ?)
      ORDER BY c.name
      """;

  static final String DUE_FOR_GC = DROPPED_COLUMNS + """
      WHERE t.name = ? AND (?::text IS NULL OR c.name = ?) AND d.retain_until <= now()
      ORDER BY d.id
      """;

  static final String UNDROP = """
      SELECT restored_id, kind, namespace_levels, name, metadata_location
      FROM pangolin.undrop_relation(?, ?, ?::text, ?::text[], ?, ?::bigint, ?::text[], ?)
      """;

  static final String REQUEST_PURGE = "SELECT pangolin.request_purge(?, ?::text[], ?)";

  static final String LOCATION_IN_USE = "SELECT pangolin.location_in_use(?, ?)";

  static final String COLLECT = "SELECT pangolin.collect_dropped(?, ?)";

  static final String SET_DROP_RETENTION =
      "SELECT pangolin.set_drop_retention(seconds => ?, tenant_name => ?, catalog_name => ?)";

  static final String DROP_RETENTION = """
      SELECT extract(epoch FROM c.drop_retention)::bigint
      FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE t.name = ? AND c.name = ?
      """;
}
