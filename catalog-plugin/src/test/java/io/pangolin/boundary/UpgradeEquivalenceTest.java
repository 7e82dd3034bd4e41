package io.pangolin.boundary;

import static io.pangolin.boundary.BoundaryDatabases.SCHEMAS;
import static io.pangolin.boundary.BoundaryDatabases.execute;
import static io.pangolin.boundary.BoundaryDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V12 plus the repeatable migrations, applied to a database that Pangolin 11 filled, must leave exactly what they
 * leave on a fresh database: the same definitions, privileges and behaviour, and the data untouched. V12 refuses,
 * changing nothing, a database whose namespace parents contradict their levels.
 */
class UpgradeEquivalenceTest {

  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  /** Catalog queries whose sorted rows must be equal on both databases, by what they describe. */
  private static final Map<String, String> DEFINITIONS = new LinkedHashMap<>();

  static {
    DEFINITIONS.put("functions", """
        SELECT pg_get_functiondef(p.oid) || E'\\nowner ' || pg_get_userbyid(p.proowner) || ', acl '
               || coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(p.proacl) a), 'default')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname::text = ANY (?)
        """);
    DEFINITIONS.put("policies", """
        SELECT concat_ws(' | ', schemaname, tablename, policyname, permissive, roles::text, cmd, qual, with_check)
        FROM pg_policies WHERE schemaname::text = ANY (?)
        """);
    DEFINITIONS.put("triggers", """
        SELECT pg_get_triggerdef(t.oid) || ' enabled ' || t.tgenabled::text
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?) AND NOT t.tgisinternal
        """);
    DEFINITIONS.put("views", """
        SELECT n.nspname || '.' || c.relname || ' ' || coalesce(c.reloptions::text, '') || E'\\n'
               || pg_get_viewdef(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?) AND c.relkind IN ('v', 'm')
        """);
    DEFINITIONS.put("columns", """
        SELECT concat_ws(' ', n.nspname || '.' || c.relname, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
                         CASE WHEN a.attnotnull THEN 'NOT NULL' END, 'identity:' || a.attidentity::text,
                         'generated:' || a.attgenerated::text, pg_get_expr(d.adbin, d.adrelid))
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname::text = ANY (?) AND c.relkind IN ('r', 'p', 'v') AND a.attnum > 0 AND NOT a.attisdropped
        """);
    DEFINITIONS.put("constraints", """
        SELECT n.nspname || '.' || c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid)
        FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?)
        """);
    DEFINITIONS.put("indexes", """
        SELECT indexdef FROM pg_indexes WHERE schemaname::text = ANY (?)
        """);
    DEFINITIONS.put("relations and their ACLs", """
        SELECT concat_ws(' ', n.nspname || '.' || c.relname, c.relkind, pg_get_userbyid(c.relowner),
                         'rls:' || c.relrowsecurity::text, 'force:' || c.relforcerowsecurity::text,
                         coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(c.relacl) a), 'default'))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?) AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
        """);
    DEFINITIONS.put("column ACLs", """
        SELECT n.nspname || '.' || c.relname || '.' || a.attname || ' '
               || (SELECT string_agg(x::text, ',' ORDER BY x::text) FROM unnest(a.attacl) x)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?) AND a.attacl IS NOT NULL
        """);
    DEFINITIONS.put("schemas and their ACLs", """
        SELECT n.nspname || ' ' || pg_get_userbyid(n.nspowner) || ' '
               || coalesce((SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(n.nspacl) a), 'default')
        FROM pg_namespace n WHERE n.nspname::text = ANY (?) OR n.nspname = 'public'
        """);
    DEFINITIONS.put("types", """
        SELECT n.nspname || '.' || t.typname || ' ' || t.typtype::text || ' ' || pg_get_userbyid(t.typowner)
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        LEFT JOIN pg_class c ON c.oid = t.typrelid
        WHERE n.nspname::text = ANY (?) AND (t.typtype IN ('d', 'e') OR c.relkind = 'c')
        """);
    DEFINITIONS.put("default privileges and the database ACL", """
        SELECT pg_get_userbyid(d.defaclrole) || ' ' || d.defaclnamespace::regnamespace::text || ' ' || d.defaclobjtype::text || ' '
               || (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(d.defaclacl) a)
        FROM pg_default_acl d WHERE cardinality(?::text[]) > 0
        UNION ALL
        SELECT 'database ' || (SELECT string_agg(a::text, ',' ORDER BY a::text) FROM unnest(d.datacl) a)
        FROM pg_database d WHERE d.datname = current_database()
        """);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void anUpgradedDatabaseEndsLikeAFreshOne(TestPostgres server) throws SQLException {
    String upgraded = BoundaryDatabases.atVersion11(server);
    Roles roles = Roles.create(server, upgraded);
    try (Connection c = BoundaryDatabases.superuser(server, upgraded)) {
      fill(c, roles);
    }
    Map<String, List<String>> dataBefore = data(server, upgraded);
    assertThat(dataBefore.get("counts")).as("the V11 data").contains("dropped_relations 1", "refs 1",
        "ref_relations 1", "grants 1", "tenant_admins 1", "relations 3", "namespaces 3");

    assertThat(new SchemaMigrator(server.dataSource(upgraded)).migrate()).isEqualTo(SchemaMigrator.LATEST_VERSION);
    String fresh = BoundaryDatabases.freshlyMigrated(server);
    try (Connection c = BoundaryDatabases.superuser(server, fresh)) {
      fill(c, roles);
    }

    assertThat(data(server, upgraded)).as("the data, after the upgrade").isEqualTo(dataBefore);

    Map<String, List<String>> upgradedDefs = definitions(server, upgraded);
    Map<String, List<String>> freshDefs = definitions(server, fresh);
    for (String what : DEFINITIONS.keySet()) {
      List<String> onlyUpgraded = new ArrayList<>(upgradedDefs.get(what));
      onlyUpgraded.removeAll(freshDefs.get(what));
      List<String> onlyFresh = new ArrayList<>(freshDefs.get(what));
      onlyFresh.removeAll(upgradedDefs.get(what));
      assertThat(onlyUpgraded).as("%s only in the upgraded database (the fresh one has instead: %s)", what, onlyFresh)
          .isEmpty();
      assertThat(onlyFresh).as("%s only in the fresh database", what).isEmpty();
      assertThat(upgradedDefs.get(what)).as(what).isEqualTo(freshDefs.get(what));
    }
    assertThat(freshDefs.get("functions")).as("functions compared").hasSizeGreaterThan(50);
    // A query that matched nothing on both sides would compare equal and prove nothing; no column has an ACL.
    freshDefs.forEach((what, found) -> {
      if (!what.equals("column ACLs")) {
        assertThat(found).as(what + " compared").isNotEmpty();
      }
    });

    List<String> upgradedBehaviour = behaviour(server, upgraded, roles);
    List<String> freshBehaviour = behaviour(server, fresh, roles);
    assertThat(upgradedBehaviour).as("what the reader and the tenant administrator get").isEqualTo(freshBehaviour);
    // Equal could mean equally broken: pin what the contract says.
    assertThat(freshBehaviour).contains(
        "reader: relations -> eu_orders VIEW,orders TABLE",
        "reader: namespaces -> sales,sales.eu",
        "reader: load sales.orders -> TABLE s3://upgrade/warehouse/sales/orders/metadata/00002.metadata.json",
        "reader: load hr.staff -> ",
        "reader: commit sales.orders -> SQLSTATE 42501",
        "reader: commit hr.staff -> 0",
        "reader: create_tenant -> SQLSTATE 42501",
        "reader: raw insert -> SQLSTATE 42501",
        "reader: private helper -> SQLSTATE 42501",
        "reader: temporary table -> SQLSTATE 42501",
        "admin: commit hr.staff -> 1",
        "admin: create namespace sales.new -> t",
        "admin: commit outside the warehouse -> SQLSTATE 23514");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void v12RefusesANamespaceWhoseParentContradictsItsLevelsAndChangesNothing(TestPostgres server) throws SQLException {
    String url = BoundaryDatabases.atVersion11(server);
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      execute(c, """
          INSERT INTO pangolin.tenants (name) VALUES ('acme');
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type)
            SELECT id, 'lake', 's3://upgrade/warehouse', 'engine-identity' FROM pangolin.tenants;
          INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
            SELECT tenant_id, 'main', id, 'acme_main' FROM pangolin.warehouses;
          INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{sales}' FROM pangolin.catalogs;
          INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{hr}' FROM pangolin.catalogs;
          -- hr.planted claims sales as its parent: a walk up from it would check sales's grants.
          INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels)
            SELECT catalog_id, id, '{hr,planted}' FROM pangolin.namespaces WHERE levels = '{sales}';
          """);
    }
    Map<String, List<String>> before = data(server, url);
    String planted;
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      planted = rows(c, "SELECT id FROM pangolin.namespaces WHERE levels = '{hr,planted}'").get(0);
    }

    assertThatThrownBy(() -> new SchemaMigrator(server.dataSource(url)).migrate())
        .hasStackTraceContaining("Cannot migrate: namespaces hr.planted (id " + planted + ") have a parent that does"
            + " not match their levels");

    assertThat(new SchemaMigrator(server.dataSource(url)).currentVersion()).contains("11");
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      assertThat(rows(c, """
          SELECT coalesce(version, 'repeatable ' || script) || ' ' || success FROM pangolin.schema_history
          WHERE type <> 'SCHEMA' AND (version IS NULL OR version::int > 11 OR NOT success)
          """)).as("history rows past V11").isEmpty();
      assertThat(rows(c, "SELECT nspname FROM pg_namespace WHERE nspname = 'pangolin_private'")).isEmpty();
      assertThat(rows(c, """
          SELECT attname FROM pg_attribute WHERE attrelid = 'pangolin.namespaces'::regclass AND attname = 'parent_path'
          """)).isEmpty();
    }
    assertThat(data(server, url)).isEqualTo(before);
  }

  /** Two logins of this run (roles are cluster-wide): a reader of namespace sales and the tenant's administrator. */
  record Roles(String reader, String admin) {
    static Roles create(TestPostgres server, String url) throws SQLException {
      String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
      Roles roles = new Roles("upgrade_reader_" + suffix, "upgrade_admin_" + suffix);
      try (Connection c = BoundaryDatabases.superuser(server, url)) {
        for (String role : List.of(roles.reader, roles.admin)) {
          execute(c, "CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE pangolin_principal");
        }
      }
      return roles;
    }
  }

  /**
   * What Pangolin 11 let a database hold, written as the superuser with plain SQL: a tenant and its administrator,
   * a warehouse, a catalog, nested namespaces, two tables and a view, a grant, a dropped table in the graveyard and a
   * branch with a change of its own.
   */
  private static void fill(Connection c, Roles roles) throws SQLException {
    execute(c, """
        INSERT INTO pangolin.tenants (name) VALUES ('acme');
        INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type, access_key_id,
                                         secret_access_key)
          SELECT id, 'lake', 's3://upgrade/warehouse', 'static', 'key-id', 'sealed-secret' FROM pangolin.tenants;
        INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
          SELECT tenant_id, 'main', id, 'acme_main' FROM pangolin.warehouses;
        INSERT INTO pangolin.namespaces (catalog_id, levels, properties)
          SELECT id, '{sales}', '{"owner": "sales-team"}' FROM pangolin.catalogs;
        INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels)
          SELECT catalog_id, id, '{sales,eu}' FROM pangolin.namespaces WHERE levels = '{sales}';
        INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{hr}' FROM pangolin.catalogs;
        INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
          SELECT id, 'orders', 'TABLE', 's3://upgrade/warehouse/sales/orders/metadata/00002.metadata.json',
                 's3://upgrade/warehouse/sales/orders/metadata/00001.metadata.json'
          FROM pangolin.namespaces WHERE levels = '{sales}';
        INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
          SELECT id, 'eu_orders', 'VIEW', 's3://upgrade/warehouse/sales/eu/eu_orders/metadata/00001.metadata.json'
          FROM pangolin.namespaces WHERE levels = '{sales,eu}';
        INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
          SELECT id, 'staff', 'TABLE', 's3://upgrade/warehouse/hr/staff/metadata/00001.metadata.json'
          FROM pangolin.namespaces WHERE levels = '{hr}';
        INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
          SELECT id, 'old_orders', 'TABLE', 's3://upgrade/warehouse/sales/old_orders/metadata/00001.metadata.json'
          FROM pangolin.namespaces WHERE levels = '{sales}';
        -- The graveyard row comes from the drop trigger of the schema version at hand.
        DELETE FROM pangolin.relations WHERE name = 'old_orders';
        INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)
          SELECT catalog_id, id, '%1$s', 'READ' FROM pangolin.namespaces WHERE levels = '{sales}';
        INSERT INTO pangolin.tenant_admins (tenant_id, role_name) SELECT id, '%2$s' FROM pangolin.tenants;
        INSERT INTO pangolin.refs (catalog_id, name, kind) SELECT id, 'dev', 'BRANCH' FROM pangolin.catalogs;
        INSERT INTO pangolin.ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
          SELECT f.id, f.catalog_id, '{sales}', 'orders', 'TABLE',
                 's3://upgrade/warehouse/sales/orders/metadata/00003-dev.metadata.json', r.metadata_location
          FROM pangolin.refs f, pangolin.relations r WHERE r.name = 'orders';
        """.formatted(roles.reader, roles.admin));
  }

  /** Row counts of every Pangolin table and the columns V12 must not touch, as the superuser reads them. */
  private static Map<String, List<String>> data(TestPostgres server, String url) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      List<String> counts = new ArrayList<>();
      for (String table : rows(c, """
          SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'pangolin' AND c.relkind IN ('r', 'p')
            -- platform_settings (V14) is platform state a later migration seeds, not data of the V11 database
            AND c.relname NOT IN ('schema_history', 'platform_settings') ORDER BY 1
          """)) {
        counts.add(table + " " + rows(c, "SELECT count(*) FROM pangolin." + table).get(0));
      }
      out.put("counts", counts);
      out.put("relations", rows(c, """
          SELECT concat_ws(' ', id, namespace_id, name, kind, metadata_location, previous_metadata_location, created_at)
          FROM pangolin.relations ORDER BY id
          """));
      out.put("namespaces", rows(c, """
          SELECT concat_ws(' ', id, catalog_id, parent_id, levels, properties) FROM pangolin.namespaces ORDER BY id
          """));
      out.put("others", rows(c, """
          SELECT concat_ws(' ', 'warehouse', id, storage_root, access_key_id, secret_access_key, config_version)
          FROM pangolin.warehouses
          UNION ALL SELECT concat_ws(' ', 'grant', id, catalog_id, namespace_id, grantee, privilege) FROM pangolin.grants
          UNION ALL SELECT concat_ws(' ', 'dropped', id, relation_id, namespace_levels, name, metadata_location)
          FROM pangolin.dropped_relations
          UNION ALL SELECT concat_ws(' ', 'ref', id, name, kind) FROM pangolin.refs
          UNION ALL SELECT concat_ws(' ', 'ref_relation', ref_id, levels, name, metadata_location, base_location)
          FROM pangolin.ref_relations
          ORDER BY 1
          """));
    }
    return out;
  }

  private static Map<String, List<String>> definitions(TestPostgres server, String url) throws SQLException {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      for (Map.Entry<String, String> query : DEFINITIONS.entrySet()) {
        out.put(query.getKey(), rows(c, query.getValue() + " ORDER BY 1", SCHEMAS));
      }
    }
    return out;
  }

  /**
   * The same reads and calls as the reader (READ on sales) and then the tenant's administrator, each answer as
   * text: the rows, or the SQLSTATE of the refusal.
   */
  private static List<String> behaviour(TestPostgres server, String url, Roles roles) throws SQLException {
    String catalog;
    String sales;
    String warehouse;
    String dev;
    try (Connection c = BoundaryDatabases.superuser(server, url)) {
      catalog = rows(c, "SELECT id FROM pangolin.catalogs").get(0);
      warehouse = rows(c, "SELECT id FROM pangolin.warehouses").get(0);
      sales = rows(c, "SELECT id FROM pangolin.namespaces WHERE levels = '{sales}'").get(0);
      dev = rows(c, "SELECT id FROM pangolin.refs WHERE name = 'dev'").get(0);
    }
    Map<String, String> reader = new LinkedHashMap<>();
    reader.put("tenants", "SELECT name FROM pangolin.tenants");
    reader.put("warehouses", "SELECT name || ' ' || coalesce(secret_access_key, '-') FROM pangolin.warehouses");
    reader.put("catalogs", "SELECT name FROM pangolin.catalogs");
    reader.put("namespaces", "SELECT array_to_string(levels, '.') FROM pangolin.namespaces");
    reader.put("relations", "SELECT name || ' ' || kind FROM pangolin.relations");
    reader.put("grants", "SELECT privilege FROM pangolin.grants");
    reader.put("tenant_admins", "SELECT count(*) FROM pangolin.tenant_admins");
    reader.put("audit_log", "SELECT count(*) FROM pangolin.audit_log");
    reader.put("graveyard", "SELECT name FROM pangolin.dropped_relations");
    reader.put("refs", "SELECT name FROM pangolin.refs");
    reader.put("ref_relations", "SELECT name || ' ' || metadata_location FROM pangolin.ref_relations");
    reader.put("jdbc tables", "SELECT table_namespace || '.' || table_name FROM pangolin_jdbc.iceberg_tables");
    reader.put("jdbc namespaces", """
        SELECT namespace || ' ' || property_key || '=' || property_value FROM pangolin_jdbc.iceberg_namespace_properties
        """);
    reader.put("load sales.orders", "SELECT kind || ' ' || metadata_location FROM pangolin.load_pointer(%s, %s,"
        .formatted(warehouse, catalog) + " '{sales}', 'orders')");
    reader.put("load hr.staff", "SELECT kind FROM pangolin.load_pointer(%s, %s, '{hr}', 'staff')"
        .formatted(warehouse, catalog));
    reader.put("commit sales.orders", "SELECT pangolin.swap_pointer('s3://upgrade/warehouse/x.metadata.json', %s,"
        .formatted(catalog) + " '{sales}', 'orders', 'TABLE', 'not-the-pointer')");
    reader.put("commit hr.staff", "SELECT pangolin.swap_pointer('s3://upgrade/warehouse/x.metadata.json', %s,"
        .formatted(catalog) + " '{hr}', 'staff', 'TABLE', 'not-the-pointer')");
    reader.put("commit through the layout", """
        UPDATE pangolin_jdbc.iceberg_tables SET metadata_location = 's3://upgrade/warehouse/x.metadata.json'
        WHERE table_name = 'orders' RETURNING table_name""");
    reader.put("create namespace", "SELECT pangolin.create_namespace(%s, '{sales,mine}', '{}') IS NOT NULL"
        .formatted(catalog));
    reader.put("drop table", "SELECT pangolin.drop_relation(%s, '{sales}', 'orders', 'TABLE', false)"
        .formatted(catalog));
    reader.put("grant itself", "SELECT pangolin.grant_privilege('%s', 'WRITE', %s, %s) IS NOT NULL"
        .formatted(roles.reader, catalog, sales));
    reader.put("branch commit", ("SELECT pangolin.ref_write(%s, '{sales}', 'orders', 'TABLE',"
        + " 's3://upgrade/warehouse/sales/orders/metadata/00003-dev.metadata.json', 's3://upgrade/warehouse/y.json')")
        .formatted(dev));
    reader.put("merge", "SELECT conflict FROM pangolin.merge_ref(%s, 'dev')".formatted(catalog));
    reader.put("undrop", "SELECT name FROM pangolin.undrop_relation('acme', 'main', NULL, '{sales}', 'old_orders',"
        + " NULL, NULL, NULL)");
    reader.put("create_tenant", "SELECT pangolin.create_tenant('evil')");
    reader.put("prune audit", "SELECT pangolin.prune_audit('0 seconds')");
    reader.put("raw insert", ("INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)"
        + " VALUES (%s, 'planted', 'TABLE', 's3://upgrade/warehouse/p.json') RETURNING name").formatted(sales));
    reader.put("private helper", "SELECT pangolin_private.is_superuser()");
    reader.put("sees sales", "SELECT pangolin.sees(%s, %s, NULL)".formatted(catalog, sales));
    reader.put("temporary table", "CREATE TEMPORARY TABLE planted (x int)");
    reader.put("create in public", "CREATE TABLE public.planted (x int)");

    Map<String, String> admin = new LinkedHashMap<>();
    admin.put("commit hr.staff", "SELECT pangolin.swap_pointer('s3://upgrade/warehouse/hr/staff/metadata/2.json',"
        + " %s, '{hr}', 'staff', 'TABLE', 's3://upgrade/warehouse/hr/staff/metadata/00001.metadata.json')"
        .formatted(catalog));
    admin.put("create namespace sales.new", "SELECT pangolin.create_namespace(%s, '{sales,new}', '{}') IS NOT NULL"
        .formatted(catalog));
    admin.put("commit outside the warehouse", ("SELECT pangolin.swap_pointer('s3://elsewhere/x.json', %s, '{hr}',"
        + " 'staff', 'TABLE', 's3://upgrade/warehouse/hr/staff/metadata/2.json')").formatted(catalog));
    admin.put("relations", "SELECT name || ' ' || metadata_location FROM pangolin.relations");
    admin.put("audit actions", "SELECT object_kind || ' ' || action FROM pangolin.audit_log"
        + " WHERE principal = session_user");

    List<String> out = new ArrayList<>();
    run(url, roles.reader, reader, out);
    run(url, roles.admin, admin, out);
    reader.keySet().retainAll(List.of("namespaces", "relations"));
    run(url, roles.reader, reader, out);
    return out;
  }

  private static void run(String url, String login, Map<String, String> statements, List<String> out)
      throws SQLException {
    String who = login.startsWith("upgrade_reader_") ? "reader" : "admin";
    try (Connection c = DriverManager.getConnection(url, login, PASSWORD); Statement s = c.createStatement()) {
      for (Map.Entry<String, String> e : statements.entrySet()) {
        String answer;
        try {
          if (s.execute(e.getValue())) {
            List<String> got = new ArrayList<>();
            try (ResultSet rs = s.getResultSet()) {
              while (rs.next()) {
                got.add(rs.getString(1));
              }
            }
            answer = String.join(",", got.stream().sorted().toList());
          } else {
            answer = "done";
          }
        } catch (SQLException refused) {
          answer = "SQLSTATE " + refused.getSQLState();
        }
        out.add(who + ": " + e.getKey() + " -> " + answer);
      }
    }
  }
}
