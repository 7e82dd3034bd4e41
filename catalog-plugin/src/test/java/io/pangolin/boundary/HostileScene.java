package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scene every hostile test attacks: two tenants written as the superuser with plain inserts (a superuser
 * bypasses the boundary, so the scene does not depend on the functions under attack), and one login per kind of
 * principal, each logging in as itself with its own password.
 *
 * <p>acme: warehouse lake (s3://acme-lake/warehouse), catalog main (JDBC name acme_main), namespaces finance,
 * finance.q1 and sales, tables finance.ledger, finance.q1.revenue, sales.orders, view sales.orders_view, branch dev
 * with its own commit of finance.ledger, and finance.old_ledger in the graveyard. globex: the same shape under
 * names that appear nowhere in acme (gx_*), so that a leak of any of them in an answer or message is a finding.
 */
final class HostileScene {

  /** Strings only globex's rows hold: none may reach a principal of acme unless the principal typed it. */
  static final String GX_KEY_ID = "AKIAGLOBEX7QXV2EXAMPLE";
  static final String GX_SECRET = "v1:aesgcm:R2xvYmV4U2VjcmV0S2V5Tm90Rm9yQWNtZQ==";
  static final String GX_ROOT = "s3://gx-vault-7731/warehouse";
  static final List<String> GX_MARKERS = List.of(GX_KEY_ID, GX_SECRET, "gx-vault-7731", "gx_hidden_ns",
      "gx_secret_table", "gx_ledger", "gx_dev", "globex_main");
  static final String ACME_ROOT = "s3://acme-lake/warehouse";

  private static final Map<String, HostileScene> SHARED = new ConcurrentHashMap<>();

  final TestPostgres server;
  final String url;
  final String database;
  final String password = "pw-" + UUID.randomUUID();
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);

  // Principals, one per kind (login role names carry the scene's suffix: roles are cluster-wide).
  final String engine;
  final String scoped;
  final String groupMember;
  final String financeGroup;
  final String tenantAdmin;
  final String platformAdmin;
  final String mover;
  final String relationWriter;
  final String undropper;
  // Ids, read back as the superuser.
  final long acme;
  final long globex;
  final long acmeWarehouse;
  final long globexWarehouse;
  final long acmeCatalog;
  final long globexCatalog;
  final long acmeFinance;
  final long acmeSales;
  final long globexNamespace;
  final long globexRelation;
  final long acmeRef;
  final long globexRef;
  final long acmeDropped;
  final long globexDropped;

  /** One scene per server for attacks that must change nothing (each asserts so); built on first use. */
  static HostileScene shared(TestPostgres server) {
    return SHARED.computeIfAbsent(server.toString(), k -> new HostileScene(server));
  }

  /** A scene of its own, for a test whose allowed actions change rows. */
  static HostileScene fresh(TestPostgres server) {
    return new HostileScene(server);
  }

  private HostileScene(TestPostgres server) {
    this.server = server;
    this.url = server.newDatabase();
    this.database = url.substring(url.lastIndexOf('/') + 1);
    new SchemaMigrator(server.dataSource(url)).migrate();
    try {
      superuser("""
          INSERT INTO pangolin.tenants (name) VALUES ('acme'), ('globex');
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type, access_key_id,
                                           secret_access_key)
          SELECT id, 'lake', '%s', 'static', 'AKIAACMEEXAMPLE', 'v1:aesgcm:QWNtZVNlY3JldA=='
          FROM pangolin.tenants WHERE name = 'acme'
          UNION ALL
          SELECT id, 'lake', '%s', 'static', '%s', '%s' FROM pangolin.tenants WHERE name = 'globex';
          INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
          SELECT w.tenant_id, 'main', w.id, t.name || '_main'
          FROM pangolin.warehouses w JOIN pangolin.tenants t ON t.id = w.tenant_id;
          """.formatted(ACME_ROOT, GX_ROOT, GX_KEY_ID, GX_SECRET));
      acme = id("SELECT id FROM pangolin.tenants WHERE name = 'acme'");
      globex = id("SELECT id FROM pangolin.tenants WHERE name = 'globex'");
      acmeCatalog = id("SELECT id FROM pangolin.catalogs WHERE tenant_id = " + acme);
      globexCatalog = id("SELECT id FROM pangolin.catalogs WHERE tenant_id = " + globex);
      acmeWarehouse = id("SELECT warehouse_id FROM pangolin.catalogs WHERE id = " + acmeCatalog);
      globexWarehouse = id("SELECT warehouse_id FROM pangolin.catalogs WHERE id = " + globexCatalog);
      // Nested namespaces: a child's parent is the namespace of its levels less the last one (V12's key says so).
      superuser("""
          INSERT INTO pangolin.namespaces (catalog_id, levels) VALUES (%1$d, '{finance}'), (%1$d, '{sales}'),
                                                                      (%2$d, '{gx_hidden_ns}');
          INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels)
          SELECT catalog_id, id, levels || '{q1}'::text[] FROM pangolin.namespaces
          WHERE levels IN ('{finance}', '{gx_hidden_ns}');
          """.formatted(acmeCatalog, globexCatalog));
      acmeFinance = id(nsSql(acmeCatalog, "{finance}"));
      acmeSales = id(nsSql(acmeCatalog, "{sales}"));
      globexNamespace = id(nsSql(globexCatalog, "{gx_hidden_ns}"));
      superuser("""
          INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
          SELECT n.id, v.name, v.kind, w.storage_root || '/' || array_to_string(n.levels, '/') || '/' || v.name
                                       || '/metadata/00001.json'
          FROM pangolin.namespaces n
          JOIN pangolin.catalogs c ON c.id = n.catalog_id JOIN pangolin.warehouses w ON w.id = c.warehouse_id
          JOIN (VALUES ('{finance}'::text[], 'ledger', 'TABLE'), ('{finance,q1}', 'revenue', 'TABLE'),
                       ('{sales}', 'orders', 'TABLE'), ('{sales}', 'orders_view', 'VIEW'),
                       ('{gx_hidden_ns}', 'gx_ledger', 'TABLE'), ('{gx_hidden_ns,q1}', 'gx_secret_table', 'TABLE'),
                       ('{gx_hidden_ns}', 'gx_view', 'VIEW')) v (levels, name, kind) ON v.levels = n.levels;
          INSERT INTO pangolin.refs (catalog_id, name, kind) VALUES (%1$d, 'dev', 'BRANCH'), (%2$d, 'gx_dev', 'BRANCH');
          INSERT INTO pangolin.ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
          SELECT f.id, f.catalog_id, n.levels, r.name, r.kind, replace(r.metadata_location, '00001', '00002'),
                 r.metadata_location
          FROM pangolin.refs f JOIN pangolin.namespaces n ON n.catalog_id = f.catalog_id
          JOIN pangolin.relations r ON r.namespace_id = n.id AND r.name IN ('ledger', 'gx_ledger');
          INSERT INTO pangolin.dropped_relations (relation_id, catalog_id, namespace_levels, name, kind,
                                                  metadata_location, created_at, retain_until)
          VALUES (900001, %1$d, '{finance}', 'old_ledger', 'TABLE',
                  '%3$s/finance/old_ledger/metadata/00009.json', now(), now() + interval '7 days'),
                 (900002, %2$d, '{gx_hidden_ns}', 'gx_ledger_old', 'TABLE',
                  '%4$s/gx_hidden_ns/gx_ledger_old/metadata/00009.json', now(), now() + interval '7 days');
          """.formatted(acmeCatalog, globexCatalog, ACME_ROOT, GX_ROOT));
      acmeRef = id("SELECT id FROM pangolin.refs WHERE name = 'dev'");
      globexRef = id("SELECT id FROM pangolin.refs WHERE name = 'gx_dev'");
      acmeDropped = id("SELECT id FROM pangolin.dropped_relations WHERE catalog_id = " + acmeCatalog);
      globexDropped = id("SELECT id FROM pangolin.dropped_relations WHERE catalog_id = " + globexCatalog);
      globexRelation = id("SELECT id FROM pangolin.relations WHERE name = 'gx_ledger'");
      engine = login("engine");
      scoped = login("scoped");
      groupMember = login("member");
      tenantAdmin = login("acme_admin");
      mover = login("mover");
      relationWriter = login("relwriter");
      undropper = login("undropper");
      financeGroup = "finance_readers_" + suffix;
      superuser("CREATE ROLE " + financeGroup + " NOLOGIN; GRANT " + financeGroup + " TO " + groupMember);
      // As AccessSql.CREATE_PLATFORM_ADMIN makes one: no CREATEROLE, no ADMIN OPTION on any role.
      platformAdmin = "platform_" + suffix;
      superuser("CREATE ROLE " + platformAdmin + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_platform_admin");
      superuser("INSERT INTO pangolin.tenant_admins (tenant_id, role_name) VALUES (" + acme + ", '" + tenantAdmin
          + "')");
      for (String p : List.of("READ", "WRITE", "CREATE", "DROP")) {
        grant(engine, p, acmeCatalog, null, null);
      }
      grant(scoped, "READ", acmeCatalog, acmeSales, null);
      grant(financeGroup, "READ", acmeCatalog, acmeFinance, null);
      grant(mover, "READ", acmeCatalog, acmeFinance, null);
      grant(mover, "CREATE", acmeCatalog, acmeSales, null);
      long ledger = id("SELECT id FROM pangolin.relations WHERE name = 'ledger'");
      grant(relationWriter, "READ", acmeCatalog, acmeFinance, ledger);
      grant(relationWriter, "WRITE", acmeCatalog, acmeFinance, ledger);
      grant(relationWriter, "CREATE", acmeCatalog, acmeSales, null);
      grant(undropper, "READ", acmeCatalog, acmeSales, null);
      grant(undropper, "UNDROP", acmeCatalog, acmeSales, null);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot build the hostile scene on " + server, e);
    }
  }

  /** One principal of each kind: what every generic attack runs as. */
  List<String> principals() {
    return List.of(engine, scoped, groupMember, tenantAdmin, platformAdmin);
  }

  private static String nsSql(long catalog, String levels) {
    return "SELECT id FROM pangolin.namespaces WHERE catalog_id = " + catalog + " AND levels = '" + levels + "'";
  }
  private String login(String name) throws SQLException {
    String role = name + "_" + suffix;
    superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_principal");
    return role;
  }

  private void grant(String grantee, String privilege, long catalog, Long namespace, Long relation)
      throws SQLException {
    superuser(("INSERT INTO pangolin.grants (catalog_id, namespace_id, relation_id, grantee, privilege)"
        + " VALUES (%d, %s, %s, '%s', '%s')").formatted(catalog, namespace, relation, grantee, privilege));
  }

  Connection connect(String principal) throws SQLException {
    Connection c = DriverManager.getConnection(url, principal, password);
    try (Statement s = c.createStatement()) {
      // No single attack may hang the suite; a blocked statement ends on the server.
      s.execute("SET statement_timeout = '10s'");
    }
    return c;
  }

  Connection superuser() throws SQLException {
    return DriverManager.getConnection(url, server.user(), server.password());
  }

  void superuser(String sql) throws SQLException {
    try (Connection c = superuser(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  long id(String sql) throws SQLException {
    try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getLong(1);
    }
  }

  List<String> strings(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** Every table of schema pangolin, as named in the catalog (not a hand list). */
  List<String> tables() throws SQLException {
    return strings("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        + " WHERE n.nspname = 'pangolin' AND c.relkind IN ('r', 'p') ORDER BY 1");
  }

  /**
   * Every row of every table of schema pangolin, read as the superuser, ordered by primary key, as text; audit_log
   * left out when {@code withAudit} is false (an allowed action adds its rows there).
   */
  String dump(boolean withAudit) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = superuser(); Statement s = c.createStatement()) {
      for (String table : tables()) {
        if (!withAudit && table.equals("audit_log")) {
          continue;
        }
        String key;
        try (ResultSet rs = s.executeQuery("""
            SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.i)
            FROM pg_index x CROSS JOIN unnest(x.indkey) WITH ORDINALITY k (attnum, i)
            JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
            WHERE x.indrelid = 'pangolin.%s'::regclass AND x.indisprimary""".formatted(table))) {
          rs.next();
          key = rs.getString(1) == null ? "t::text" : rs.getString(1);
        }
        out.append(table).append(":\n");
        try (ResultSet rs = s.executeQuery("SELECT t::text FROM pangolin." + table + " t ORDER BY " + key)) {
          while (rs.next()) {
            out.append(rs.getString(1)).append('\n');
          }
        }
      }
    }
    return out.toString();
  }

  /** Runs {@code sql} as {@code principal} and returns its SQLSTATE; fails when it succeeds. */
  String refused(String principal, String sql) {
    try (Connection c = connect(principal); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      assertThat(HostileCalls.told(e)).as("message of %s", sql).hasSizeLessThan(1000);
      return e.getSQLState();
    }
    return fail("ATTACK SUCCEEDED on %s as %s: %s", server, principal, sql);
  }

  /** Runs {@code sql} as {@code principal}, expecting it to be allowed, and returns the first column of each row. */
  List<String> allowed(String principal, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(principal); Statement s = c.createStatement()) {
      if (s.execute(sql)) {
        try (ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            out.add(rs.getString(1));
          }
        }
      }
    }
    return out;
  }
}
