package io.pangolin.metastore;

/** Statements for tenants, their warehouses and their catalogs. */
final class TenantSql {

  private TenantSql() {}

  static final String CREATE_TENANT = "SELECT pangolin.create_tenant(?)";

  /** Answers the new warehouse's id, or NULL when the caller does not see the tenant. */
  static final String CREATE_WAREHOUSE = """
      SELECT pangolin.create_warehouse(warehouse_name => ?, root => ?, allowed => ?,
                                       settings => jsonb_object(?::text[], ?::text[]), credential_type => ?,
                                       access_key_id => ?, secret_access_key => ?, tenant_name => ?)
      """;

  static final String LOAD_WAREHOUSE = """
      SELECT w.id, t.name AS tenant, w.name, w.storage_root, w.allowed_locations,
             ARRAY(SELECT key FROM jsonb_each_text(w.settings) ORDER BY key) AS setting_keys,
             ARRAY(SELECT value FROM jsonb_each_text(w.settings) ORDER BY key) AS setting_values,
             w.credential_type, w.access_key_id, w.secret_access_key, w.config_version, t.key_fingerprint
      FROM pangolin.warehouses w JOIN pangolin.tenants t ON t.id = w.tenant_id
      """;

  static final String LOAD_WAREHOUSE_BY_ID = LOAD_WAREHOUSE + " WHERE w.id = ?";

  static final String LOAD_WAREHOUSE_BY_NAME = LOAD_WAREHOUSE + " WHERE t.name = ? AND w.name = ?";

  /** pangolin serve's login only, acting for a principal who sees a catalog of the warehouse (R__47). */
  static final String WAREHOUSE_SIGNING_KEY =
      "SELECT access_key_id, secret_access_key FROM pangolin.warehouse_signing_key(?)";

  static final String SET_WAREHOUSE_CREDENTIALS = """
      SELECT pangolin.set_warehouse_credentials(new_type => ?, new_key_id => ?, new_secret => ?, tenant_name => ?,
                                                warehouse_name => ?)
      """;

  /**
   * Merges settings into the row (jsonb ||), removes the unset keys (jsonb - text[]), and adds and removes allowed
   * locations keeping their order; nothing the update does not name changes.
   */
  static final String UPDATE_WAREHOUSE_STORAGE = """
      SELECT pangolin.update_warehouse_storage(set_settings => jsonb_object(?::text[], ?::text[]),
                                               unset_keys => ?::text[], add_locations => ?::text[],
                                               remove_locations => ?::text[], tenant_name => ?, warehouse_name => ?)
      """;

  /**
   * Answers the catalog's id, or NULL when the caller does not see the tenant; a warehouse that is not the
   * tenant's leaves warehouse_id NULL, which the NOT NULL constraint refuses.
   */
  static final String CREATE_CATALOG = """
      SELECT pangolin.create_catalog(catalog_name => ?, warehouse_name => ?, jdbc_catalog_name => ?,
                                     props => jsonb_object(?::text[], ?::text[]), tenant_name => ?)
      """;

  static final String LIST_TENANTS = "SELECT name FROM pangolin.tenants ORDER BY name";

  /**
   * Whether the principal sees the tenant, and whether it sees every tenant (a superuser, a role that bypasses
   * row-level security, a platform administrator), for whom an unseen tenant certainly does not exist.
   */
  static final String LOOK_UP_TENANT = """
      SELECT EXISTS (SELECT 1 FROM pangolin.tenants t WHERE t.name = ?),
             coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),
                      false)
             OR pg_catalog.pg_has_role(session_user, 'pangolin_platform_admin', 'USAGE')
      """;

  static final String DELETE_TENANT = "SELECT pangolin.delete_tenant(?)";

  /** Answers the prefix as stored (normalised), or NULL when cleared. */
  static final String SET_FILE_ROOT = "SELECT pangolin.set_file_root_prefix(?)";

  static final String FILE_ROOT = "SELECT file_root_prefix FROM pangolin.platform_settings";

  static final String LIST_WAREHOUSES = LOAD_WAREHOUSE + " WHERE t.name = ? ORDER BY w.name";

  static final String DELETE_WAREHOUSE = "SELECT pangolin.delete_warehouse(?, ?)";

  static final String LIST_CATALOGS = """
      SELECT c.name, w.name AS warehouse, c.jdbc_name
      FROM pangolin.catalogs c
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      JOIN pangolin.warehouses w ON w.id = c.warehouse_id
      WHERE t.name = ? ORDER BY c.name
      """;

  static final String DELETE_CATALOG = "SELECT pangolin.delete_catalog(?, ?)";

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

  /** Each tenant the principal sees, with the fingerprint of its own key (NULL: the shared master key). */
  static final String TENANT_KEYS = "SELECT t.name, t.key_fingerprint FROM pangolin.tenants t ORDER BY t.name";

  static final String TENANT_KEY = "SELECT t.key_fingerprint FROM pangolin.tenants t WHERE t.name = ?";

  static final String RESEAL_TENANT_SECRETS = """
      SELECT pangolin.reseal_tenant_secrets(tenant_name => ?, from_key => ?, to_key => ?, sealed => ?::jsonb)
      """;
}
