package io.pangolin.metastore.access;

/**
 * Statements for principals, grants and the audit trail. Role names cannot be bound as parameters in DDL, so the
 * role statements are templates filled only with identifiers quoted by {@link PrincipalStore#quoted}.
 */
final class AccessSql {

  private AccessSql() {}

  static final String ROLE_EXISTS = "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?)";

  /**
   * Principals are made only through pangolin_role_admin's functions (R__15_roles.sql): a platform administrator
   * holds no CREATEROLE. Parameters: role, SCRAM-SHA-256 verifier computed here (or NULL).
   */
  static final String CREATE_PRINCIPAL = "SELECT pangolin.create_principal(?::name, ?)";

  static final String CREATE_GROUP = "SELECT pangolin.create_group(?::name)";

  static final String ADOPT = "SELECT pangolin.adopt_principal(?::name)";

  /**
   * From PostgreSQL 16 a role is altered and dropped only by its administrators: a superuser who adopts a role lets
   * pangolin_role_admin administer it (without its rights), as it does every principal its functions make.
   */
  static final String ROLE_ADMIN_ADMINISTERS = "GRANT %s TO pangolin_role_admin WITH ADMIN OPTION, INHERIT FALSE,"
      + " SET FALSE";

  static final String CALLER_IS_SUPERUSER = "SELECT rolsuper FROM pg_roles WHERE rolname = session_user";

  /** Parameters: group, member. */
  static final String ADD_MEMBER = "SELECT pangolin.add_member(?::name, ?::name)";

  /** Parameters: role, bounds as a JSON object of parameter to value. One row per bound, reason NULL when set. */
  static final String SET_BOUNDS = "SELECT parameter, value, reason FROM pangolin.set_principal_bounds(?::name, ?::jsonb)";

  /** Forgets the role's grants and tenant administrator rows, then drops it; answers the grants removed. */
  static final String DROP_PRINCIPAL = "SELECT pangolin.drop_principal(?::name)";

  /**
   * A platform administrator, made by a superuser with plain DDL: no CREATEROLE and no ADMIN OPTION on any role (it
   * manages principals through pangolin_role_admin's functions).
   */
  static final String CREATE_PLATFORM_ADMIN = "CREATE ROLE %s LOGIN IN ROLE pangolin_platform_admin";

  /** The audit row of a new platform administrator (the superuser who makes one may write it). Parameter: role. */
  static final String AUDIT_PLATFORM_ADMIN = "INSERT INTO pangolin.audit_log (object_kind, object_name, action, detail)"
      + " VALUES ('principals', ?, 'CREATE', '{\"platform_admin\": true}')";

  /**
   * One bound of a principal ({@link PrincipalBounds}), for every database, as a superuser runs it where
   * pangolin_role_admin could not (from PostgreSQL 16, a role it neither created nor was given ADMIN OPTION on): a
   * role template filled with a quoted role, a parameter name from {@link PrincipalBounds#PARAMETERS} and a value
   * {@link PrincipalBounds} formatted.
   */
  static final String SET_ROLE_BOUND = "ALTER ROLE %s SET %s = '%s'";

  /**
   * The settings a role's sessions start with in this database: its own for every database, then those for this
   * one, which PostgreSQL applies over them. Parameters: the role name.
   */
  static final String ROLE_SETTINGS = """
      SELECT split_part(c, '=', 1) AS parameter, substr(c, strpos(c, '=') + 1) AS value
      FROM pg_db_role_setting s
      JOIN pg_roles r ON r.oid = s.setrole
      CROSS JOIN LATERAL unnest(s.setconfig) AS c
      WHERE r.rolname = ?
        AND s.setdatabase IN (0, (SELECT d.oid FROM pg_database d WHERE d.datname = current_database()))
      ORDER BY s.setdatabase, 1
      """;

  /**
   * Roles that are principals or platform administrators, directly, with their groups and tenants. A group counts
   * only when its rights are inherited: the ADMIN-only membership a platform administrator holds in the roles it
   * created is management, not membership.
   */
  static final String LIST_PRINCIPALS = """
      SELECT r.rolname, r.rolcanlogin,
             EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.roleid
                     WHERE m.member = r.oid AND p.rolname = 'pangolin_platform_admin') AS platform_admin,
             ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                   WHERE m.member = r.oid AND pg_has_role(r.oid, g.oid, 'USAGE')
                     AND g.rolname NOT IN ('pangolin_principal', 'pangolin_platform_admin', 'pangolin_owner')
                   ORDER BY 1) AS member_of,
             ARRAY(SELECT t.name::text FROM pangolin.tenant_admins a JOIN pangolin.tenants t ON t.id = a.tenant_id
                   WHERE a.role_name = r.rolname ORDER BY t.name) AS tenant_admin_of
      FROM pg_roles r
      WHERE EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles p ON p.oid = m.roleid
                    WHERE m.member = r.oid AND p.rolname IN ('pangolin_principal', 'pangolin_platform_admin'))
      ORDER BY r.rolname
      """;

  /** Parameters: role, tenant; answers 1 when named, 0 when the tenant does not exist or the role already is. */
  static final String ADD_TENANT_ADMIN = "SELECT pangolin.add_tenant_admin(admin_role => ?::name, tenant_name => ?)";

  static final String REMOVE_TENANT_ADMIN =
      "SELECT pangolin.remove_tenant_admin(admin_role => ?::name, tenant_name => ?)";

  /**
   * An object by name (tenant, catalog, namespace levels or NULL, relation name or NULL) to its ids, as far as the
   * caller may see it; an id is NULL where the name matched nothing visible.
   */
  private static final String RESOLVE = """
      WITH q AS (SELECT ?::text AS tenant, ?::text AS catalog, ?::text[] AS levels, ?::text AS relation),
      target AS (
        SELECT q.levels, q.relation, t.id AS tenant_id, c.id AS catalog_id, n.id AS namespace_id, r.id AS relation_id,
               c.id IS NOT NULL AND (q.levels IS NULL OR n.id IS NOT NULL)
                 AND (q.relation IS NULL OR r.id IS NOT NULL) AS found
        FROM q
        LEFT JOIN pangolin.tenants t ON t.name = q.tenant
        LEFT JOIN pangolin.catalogs c ON c.tenant_id = t.id AND c.name = q.catalog
        LEFT JOIN pangolin.namespaces n ON n.catalog_id = c.id AND n.levels = q.levels
        LEFT JOIN pangolin.relations r ON r.namespace_id = n.id AND r.name = q.relation
      )
      """;

  /** Parameters: the four of the object, then grantee and privilege. Columns: the four ids, then the new grant id. */
  static final String GRANT = RESOLVE + """
      SELECT tenant_id, catalog_id, namespace_id, relation_id,
             CASE WHEN found THEN pangolin.grant_privilege(?, ?, catalog_id, namespace_id, relation_id) END
      FROM target
      """;

  /** As {@link #GRANT}; the last column is the number of grants removed. */
  static final String REVOKE = RESOLVE + """
      SELECT tenant_id, catalog_id, namespace_id, relation_id,
             CASE WHEN found THEN pangolin.revoke_privilege(?, ?, catalog_id, namespace_id, relation_id) END
      FROM target
      """;

  /** A grant's columns; a relation's namespace is its current one, so a moved table shows where it is now. */
  private static final String GRANT_COLUMNS = """
      SELECT g.grantee, g.privilege, t.name AS tenant, c.name AS catalog, n.levels, gr.name AS relation,
             g.granted_by, g.granted_at
      """;

  private static final String GRANT_OBJECTS = """
      JOIN pangolin.catalogs c ON c.id = g.catalog_id
      JOIN pangolin.tenants t ON t.id = c.tenant_id
      LEFT JOIN pangolin.relations gr ON gr.id = g.relation_id
      LEFT JOIN pangolin.namespaces n ON n.id = coalesce(gr.namespace_id, g.namespace_id)
      """;

  private static final String GRANT_ORDER = " ORDER BY t.name, c.name, n.levels NULLS FIRST, gr.name NULLS FIRST,"
      + " g.privilege, g.grantee";

  static final String GRANTS_OF = GRANT_COLUMNS + "FROM pangolin.grants g\n" + GRANT_OBJECTS + "WHERE g.grantee = ?"
      + GRANT_ORDER;

  /**
   * Grants that reach the object: on it, on its catalog, and on every namespace enclosing it (not those on objects
   * inside it). The target row stays when nothing reaches it, with NULL grant columns, so that an unknown object
   * ({@code found} false) can be told from one without grants.
   */
  static final String GRANTS_ON = RESOLVE + GRANT_COLUMNS + """
           , x.found
      FROM target x LEFT JOIN (pangolin.grants g
      """ + GRANT_OBJECTS + """
      ) ON x.found AND g.catalog_id = x.catalog_id
           AND ((g.namespace_id IS NULL AND g.relation_id IS NULL)
                OR (g.relation_id IS NULL AND x.levels IS NOT NULL AND pangolin.levels_within(x.levels, n.levels))
                OR g.relation_id = x.relation_id)
      """ + GRANT_ORDER;

  /** Parameters: tenant, object name (or NULL), since (or NULL), until (or NULL), limit. */
  static final String AUDIT = """
      WITH q AS (SELECT ?::text AS tenant, ?::text AS object, ?::timestamptz AS since, ?::timestamptz AS until)
      SELECT a.id, a.at, a.principal, a.tenant_id, a.object_kind, a.object_id, a.object_name, a.action,
             a.old_pointer, a.new_pointer, a.detail::text AS detail
      FROM q JOIN pangolin.tenants t ON t.name = q.tenant
      JOIN pangolin.audit_log a ON a.tenant_id = t.id
      WHERE (q.object IS NULL OR a.object_name = q.object OR starts_with(a.object_name, q.object || '.'))
        AND (q.since IS NULL OR a.at >= q.since)
        AND (q.until IS NULL OR a.at < q.until)
      ORDER BY a.at DESC, a.id DESC
      LIMIT ?
      """;

  static final String TENANT_VISIBLE = "SELECT EXISTS (SELECT 1 FROM pangolin.tenants WHERE name = ?)";
}
