package io.pangolin.metastore;

/** Statements for tenants, their warehouses and their catalogs. */
final class TenantSql {

  private TenantSql() {}

  static final String CREATE_TENANT = "INSERT INTO pangolin.tenants (name) VALUES (?) RETURNING id";

  static final String CREATE_WAREHOUSE = """
      INSERT INTO pangolin.warehouses
        (tenant_id, name, storage_root, allowed_locations, settings, credential_type, access_key_id, secret_access_key)
      SELECT t.id, ?, ?, ?, jsonb_object(?::text[], ?::text[]), ?, ?, ?
      FROM pangolin.tenants t WHERE t.name = ?
      RETURNING id
      """;

  static final String LOAD_WAREHOUSE = """
      SELECT w.id, t.name AS tenant, w.name, w.storage_root, w.allowed_locations,
             ARRAY(SELECT key FROM jsonb_each_text(w.settings) ORDER BY key) AS setting_keys,
             ARRAY(SELECT value FROM jsonb_each_text(w.settings) ORDER BY key) AS setting_values,
             w.credential_type, w.access_key_id, w.secret_access_key, w.config_version
      FROM pangolin.warehouses w JOIN pangolin.tenants t ON t.id = w.tenant_id
      """;

  static final String LOAD_WAREHOUSE_BY_ID = LOAD_WAREHOUSE + " WHERE w.id = ?";

  static final String LOAD_WAREHOUSE_BY_NAME = LOAD_WAREHOUSE + " WHERE t.name = ? AND w.name = ?";

  static final String SET_WAREHOUSE_CREDENTIALS = """
      UPDATE pangolin.warehouses w
      SET credential_type = ?, access_key_id = ?, secret_access_key = ?,
          config_version = config_version + 1, updated_at = now()
      FROM pangolin.tenants t
      WHERE t.id = w.tenant_id AND t.name = ? AND w.name = ?
      """;

  /**
   * Merges settings into the row (jsonb ||), removes the unset keys (jsonb - text[]), and adds and removes allowed
   * locations keeping their order; nothing the update does not name changes.
   */
  static final String UPDATE_WAREHOUSE_STORAGE = """
      UPDATE pangolin.warehouses w
      SET settings = (w.settings || jsonb_object(?::text[], ?::text[])) - ?::text[],
          allowed_locations = ARRAY(
            SELECT l FROM unnest(w.allowed_locations || ?::text[]) WITH ORDINALITY AS a(l, i)
            WHERE l <> ALL (?::text[])
            GROUP BY l ORDER BY min(i)),
          config_version = config_version + 1, updated_at = now()
      FROM pangolin.tenants t
      WHERE t.id = w.tenant_id AND t.name = ? AND w.name = ?
      """;

  /**
   * warehouse_id is NULL when the warehouse is not the tenant's, which the NOT NULL constraint refuses. No
   * RETURNING: the returned row would have to pass the read policy, whose check looks the catalog up by id and so
   * cannot see a row the same statement inserts, which refused every tenant administrator's catalog.
   */
  static final String CREATE_CATALOG = """
      INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name, properties)
      SELECT t.id, ?, (SELECT w.id FROM pangolin.warehouses w WHERE w.tenant_id = t.id AND w.name = ?), ?,
             jsonb_object(?::text[], ?::text[])
      FROM pangolin.tenants t WHERE t.name = ?
      """;

  static final String LIST_TENANTS = "SELECT name FROM pangolin.tenants ORDER BY name";

  static final String DELETE_TENANT = "DELETE FROM pangolin.tenants WHERE name = ?";

  static final String LIST_WAREHOUSES = LOAD_WAREHOUSE + " WHERE t.name = ? ORDER BY w.name";

  static final String DELETE_WAREHOUSE = """
      DELETE FROM pangolin.warehouses w USING pangolin.tenants t
      WHERE t.id = w.tenant_id AND t.name = ? AND w.name = ?
      """;

  static final String LIST_CATALOGS = """
      SELECT c.name, w.name AS warehouse, c.jdbc_name
      FROM pangolin.catalogs c
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      JOIN pangolin.warehouses w ON w.id = c.warehouse_id
      WHERE t.name = ? ORDER BY c.name
      """;

  static final String DELETE_CATALOG = """
      DELETE FROM pangolin.catalogs c USING pangolin.tenants t
      WHERE t.id = c.tenant_id AND t.name = ? AND c.name = ?
      """;

  /** One row per namespace; one row with NULL levels when the catalog exists but is empty; none otherwise. */
  static final String LIST_ALL_NAMESPACES = """
      SELECT n.levels
      FROM pangolin.catalogs c
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      LEFT JOIN pangolin.namespaces n ON n.catalog_id = c.id
      WHERE t.name = ? AND c.name = ?
      ORDER BY n.levels
      """;

  static final String LIST_ALL_RELATIONS = """
      SELECT n.levels, r.name, r.kind, r.metadata_location
      FROM pangolin.relations r
      JOIN pangolin.namespaces n ON n.id = r.namespace_id
      JOIN pangolin.catalogs c ON c.id = n.catalog_id
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE t.name = ? AND c.name = ?
      ORDER BY n.levels, r.name
      """;
}
