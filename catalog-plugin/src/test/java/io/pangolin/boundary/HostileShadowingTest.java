package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.boundary.HostileCalls.Fn;
import io.pangolin.boundary.HostileCalls.Mode;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attack 1: temporary objects named like what the definer functions read. Every name comes from the catalog: each
 * relation and function of pangolin, pangolin_private and pangolin_jdbc, and each pg_catalog table or view a function
 * body names (pg_roles and pg_auth_members at least). First line of defence: principals cannot create temporary
 * objects at all. Second, tested by granting TEMPORARY back: the functions never read them.
 */
class HostileShadowingTest {

  private static final String SCHEMAS = "'pangolin'::regnamespace, 'pangolin_private'::regnamespace,"
      + " 'pangolin_jdbc'::regnamespace";

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void temporaryObjectsCannotBeCreatedNorShadowAnything(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> relations = scene.strings("""
        SELECT c.relname FROM pg_class c WHERE c.relnamespace IN (%1$s) AND c.relkind IN ('r', 'p', 'v', 'm')
        UNION
        SELECT c.relname FROM pg_class c
        WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind IN ('r', 'v')
          AND (c.relname IN ('pg_roles', 'pg_auth_members')
               OR EXISTS (SELECT 1 FROM pg_proc p WHERE p.pronamespace IN (%1$s)
                                                    AND p.prosrc ~ ('\\m' || c.relname || '\\M')))
        ORDER BY 1""".formatted(SCHEMAS));
    List<String> functions = scene.strings("SELECT DISTINCT proname FROM pg_proc WHERE pronamespace IN (" + SCHEMAS
        + ") ORDER BY 1");
    assertThat(relations).contains("tenant_admins", "grants", "warehouses", "pg_roles", "pg_auth_members");
    assertThat(functions).contains("may", "privileges_held", "is_member", "sees");

    List<String> created = new ArrayList<>();
    for (String principal : scene.principals()) {
      try (Connection c = scene.connect(principal); Statement s = c.createStatement()) {
        for (String name : relations) {
          tryCreate(s, "CREATE TEMP TABLE " + name + " (x int)", created, principal);
          tryCreate(s, "CREATE TEMP VIEW " + name + " AS SELECT 1 AS x", created, principal);
        }
        for (String name : functions) {
          tryCreate(s, "CREATE FUNCTION pg_temp." + name + "() RETURNS boolean LANGUAGE sql AS 'SELECT true'",
              created, principal);
        }
      }
    }
    assertThat(created).as("temporary objects principals created on %s", server).isEmpty();

    // The second line: TEMPORARY granted back, the principal seeds its shadows to grant itself everything.
    List<String> findings = new ArrayList<>();
    for (String principal : scene.principals()) {
      scene.superuser("GRANT TEMPORARY ON DATABASE " + scene.database + " TO " + principal);
      try (Connection c = scene.connect(principal); Statement s = c.createStatement()) {
        shadow(scene, s, relations, functions, findings);
        for (Fn fn : HostileCalls.executable(scene, principal)) {
          HostileFunctionInputsTest.judge(scene, principal, fn, Mode.GLOBEX,
              HostileCalls.call(scene, c, principal, fn, Mode.GLOBEX)).forEach(findings::add);
        }
        for (String sql : List.of(
            "SELECT count(*) FROM pangolin.warehouses WHERE tenant_id = " + scene.globex,
            "SELECT count(*) FROM pangolin.catalogs WHERE tenant_id = " + scene.globex,
            "SELECT count(*) FROM pangolin.relations WHERE id = " + scene.globexRelation,
            "SELECT count(*) FROM pangolin_jdbc.iceberg_tables WHERE catalog_name = 'globex_main'")) {
          try (var rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != 0) {
              findings.add(principal + " with shadows sees " + rs.getLong(1) + " rows: " + sql);
            }
          } catch (SQLException refused) {
            assertThat(refused.getSQLState()).as(sql).isEqualTo("42501");
          }
        }
      } finally {
        scene.superuser("REVOKE TEMPORARY ON DATABASE " + scene.database + " FROM " + principal);
      }
    }
    assertThat(findings).as("what shadows changed on %s", server).isEmpty();
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  private static void tryCreate(Statement s, String sql, List<String> created, String principal) {
    try {
      s.execute(sql);
      created.add(principal + ": " + sql);
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(sql).isEqualTo("42501");
    }
  }

  /** Temporary tables, views and functions under every name, seeded to name the principal every right. */
  private static void shadow(HostileScene scene, Statement s, List<String> relations, List<String> functions,
      List<String> findings) throws SQLException {
    Set<String> taken = new LinkedHashSet<>();
    for (String name : relations) {
      String source = scene.strings("SELECT c.oid::regclass::text FROM pg_class c WHERE c.relname = '" + name
          + "' AND c.relnamespace IN (" + SCHEMAS + ", 'pg_catalog'::regnamespace) LIMIT 1").get(0);
      try {
        s.execute("CREATE TEMP TABLE " + name + " AS SELECT * FROM " + source + " WITH NO DATA");
      } catch (SQLException unreadable) {
        // A relation this principal may not read (the JDBC layout, for a platform administrator from 16 on).
        s.execute("CREATE TEMP TABLE " + name + " (x int)");
      }
      taken.add(name);
    }
    s.execute("""
        INSERT INTO pg_temp.tenant_admins VALUES (%1$d, session_user), (%2$d, session_user);
        INSERT INTO pg_temp.grants (id, catalog_id, grantee, privilege)
        SELECT g, c, session_user, p
        FROM unnest(ARRAY['READ', 'WRITE', 'CREATE', 'DROP', 'MANAGE_GRANTS', 'UNDROP', 'GC', 'CREATE_BRANCH',
                          'MERGE', 'DELETE_BRANCH']) WITH ORDINALITY x (p, g), unnest(ARRAY[%3$d, %4$d]) c;
        INSERT INTO pg_temp.catalogs (id, tenant_id, name, warehouse_id, jdbc_name)
        VALUES (%4$d, %1$d, 'main', %5$d, 'globex_main');
        INSERT INTO pg_temp.pg_roles SELECT * FROM pg_catalog.pg_roles WHERE rolname = session_user;
        UPDATE pg_temp.pg_roles SET rolsuper = true, rolbypassrls = true, rolcreaterole = true;
        INSERT INTO pg_temp.pg_auth_members (roleid, member, grantor, admin_option)
        SELECT r.oid, me.oid, 10, true FROM pg_catalog.pg_roles r, pg_catalog.pg_roles me
        WHERE r.rolname IN ('pangolin_owner', 'pangolin_platform_admin') AND me.rolname = session_user;
        """.formatted(scene.globex, scene.acme, scene.acmeCatalog, scene.globexCatalog, scene.acmeWarehouse));
    for (String name : functions) {
      if (taken.add(name)) {
        s.execute("CREATE TEMP VIEW " + name + " AS SELECT true AS granted, 'SUPERUSER' AS privilege");
      }
    }
    // Functions in pg_temp with each definer function's own signature, answering "yes" or nothing.
    List<String> definitions = scene.strings("""
        SELECT format('CREATE FUNCTION pg_temp.%%I(%%s) RETURNS %%s LANGUAGE plpgsql AS $f$BEGIN %%s END$f$',
                      p.proname, pg_get_function_arguments(p.oid), pg_get_function_result(p.oid),
                      CASE WHEN p.proretset OR p.prorettype = 'void'::regtype THEN 'RETURN;'
                           WHEN p.prorettype = 'boolean'::regtype THEN 'RETURN true;'
                           ELSE 'RETURN NULL;' END)
        FROM pg_proc p WHERE p.pronamespace IN (%s) AND p.prorettype <> 'trigger'::regtype
        UNION ALL
        SELECT unnest(ARRAY[
          'CREATE FUNCTION pg_temp.pg_has_role(name, oid, text) RETURNS boolean LANGUAGE sql AS $f$SELECT true$f$',
          'CREATE FUNCTION pg_temp.pg_has_role(name, name, text) RETURNS boolean LANGUAGE sql AS $f$SELECT true$f$',
          'CREATE FUNCTION pg_temp.session_user() RETURNS name LANGUAGE sql AS $f$SELECT ''postgres''::name$f$'])
        """.formatted(SCHEMAS));
    for (String ddl : definitions) {
      try {
        s.execute(ddl);
      } catch (SQLException e) {
        // Not a finding: a shadow that cannot exist cannot mislead. Shown so that a reader sees the coverage.
        System.err.println("No shadow (" + e.getSQLState() + "): " + ddl);
      }
    }
  }
}
