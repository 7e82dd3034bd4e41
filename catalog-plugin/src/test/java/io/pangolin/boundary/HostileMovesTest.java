package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestPostgres;
import java.sql.SQLException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacks 4, 5 and 6: moving a table out of a namespace one may only read, restoring a dropped table into a
 * namespace one may restore into from one one may not, and namespace rows whose parent does not match their levels.
 */
class HostileMovesTest {

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void aMoveNeedsDropWhereTheTableIs(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    // mover: READ on finance, CREATE on sales. relwriter: READ and WRITE on finance.ledger, CREATE on sales.
    for (String principal : new String[] {scene.mover, scene.relationWriter}) {
      assertThat(scene.refused(principal, "SELECT pangolin.rename_relation(%d, '{finance}', 'ledger', 'TABLE',"
          .formatted(scene.acmeCatalog) + " '{sales}', 'ledger')")).isEqualTo("42501");
      assertThat(scene.refused(principal, "SELECT pangolin.rename_relation(%d, '{finance}', 'ledger', 'TABLE',"
          .formatted(scene.acmeCatalog) + " '{finance}', 'ledger2')")).isEqualTo("42501");
      assertThat(scene.refused(principal, """
          UPDATE pangolin_jdbc.iceberg_tables SET table_namespace = 'sales'
          WHERE catalog_name = 'acme_main' AND table_namespace = 'finance' AND table_name = 'ledger'"""))
          .isEqualTo("42501");
      assertThat(scene.refused(principal, """
          UPDATE pangolin_jdbc.iceberg_tables SET table_name = 'stolen'
          WHERE catalog_name = 'acme_main' AND table_namespace = 'finance' AND table_name = 'ledger'"""))
          .isEqualTo("42501");
    }
    // Into another catalog: the function takes one catalog; through the layout the trigger refuses the move.
    assertThat(scene.refused(scene.engine, """
        UPDATE pangolin_jdbc.iceberg_tables SET catalog_name = 'globex_main'
        WHERE catalog_name = 'acme_main' AND table_namespace = 'finance' AND table_name = 'ledger'"""))
        .isEqualTo("0A000");
    // A globex namespace named as the destination does not exist for acme's catalog.
    assertThat(scene.refused(scene.engine, "SELECT pangolin.rename_relation(%d, '{finance}', 'ledger', 'TABLE',"
        .formatted(scene.acmeCatalog) + " '{gx_hidden_ns}', 'ledger')")).isNotEqualTo("00000");
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void undropIntoOnesOwnNamespaceNeedsUndropWhereItWasDropped(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    // undropper: READ and UNDROP on sales only; old_ledger was dropped from finance.
    assertThat(scene.refused(scene.undropper, """
        SELECT * FROM pangolin.undrop_relation('acme', 'main', NULL, '{finance}', 'old_ledger', NULL, '{sales}',
                                               'old_ledger')""")).isEqualTo("42501");
    assertThat(scene.refused(scene.undropper, """
        SELECT * FROM pangolin.undrop_relation('acme', 'main', NULL, '{finance}', 'old_ledger', %d, '{sales}', NULL)"""
        .formatted(scene.acmeDropped))).isEqualTo("42501");
    // Naming sales as where it was dropped from, with finance's graveyard id: no such row there.
    assertThat(scene.refused(scene.undropper, """
        SELECT * FROM pangolin.undrop_relation('acme', 'main', NULL, '{sales}', 'old_ledger', %d, NULL, NULL)"""
        .formatted(scene.acmeDropped))).isNotEqualTo("00000");
    // And globex's graveyard row through acme's name.
    assertThat(scene.refused(scene.undropper, """
        SELECT * FROM pangolin.undrop_relation('acme', 'main', NULL, '{sales}', 'gx_ledger_old', %d, NULL, NULL)"""
        .formatted(scene.globexDropped))).isNotEqualTo("00000");
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void namespaceParentsFollowTheirLevelsEvenForTheSuperuser(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    String q1 = "(SELECT id FROM pangolin.namespaces WHERE catalog_id = %d AND levels = '{finance,q1}')"
        .formatted(scene.acmeCatalog);
    for (String sql : new String[] {
        // A parent in another catalog (globex's namespace under acme's catalog).
        "INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels) VALUES (%d, %d, '{gx_hidden_ns,planted}')"
            .formatted(scene.acmeCatalog, scene.globexNamespace),
        // Levels that do not extend the parent's.
        "INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels) VALUES (%d, %d, '{sales,planted}')"
            .formatted(scene.acmeCatalog, scene.acmeFinance),
        // A cycle: finance.q1 its own parent; finance under its child.
        "UPDATE pangolin.namespaces SET parent_id = id WHERE id = " + q1,
        "UPDATE pangolin.namespaces SET parent_id = " + q1 + " WHERE id = " + scene.acmeFinance,
        // Deeper than 16 levels.
        "INSERT INTO pangolin.namespaces (catalog_id, levels) VALUES (%d, array_fill('x'::text, ARRAY[17]))"
            .formatted(scene.acmeCatalog)}) {
      assertThatThrownBy(() -> scene.superuser(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).as(sql).startsWith("23"));
    }
    // mover holds CREATE on sales, not on finance: no namespace planted under finance.
    assertThat(scene.refused(scene.mover, "SELECT pangolin.create_namespace(%d, '{finance,planted}', '{}')"
        .formatted(scene.acmeCatalog))).isEqualTo("42501");
    assertThat(scene.refused(scene.mover, "SELECT pangolin.ref_create_namespace(%d, '{finance,planted}', '{}')"
        .formatted(scene.acmeRef))).isEqualTo("42501");
    assertThat(scene.refused(scene.mover, """
        INSERT INTO pangolin_jdbc.iceberg_namespace_properties (catalog_name, namespace, property_key, property_value)
        VALUES ('acme_main', 'finance.planted', 'exists', 'true')""")).isEqualTo("42501");
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  /**
   * A platform administrator names tenant administrators but, by add_tenant_admin's own rule, never itself or a
   * role it belongs to. It holds no CREATEROLE (principals are made by pangolin_role_admin's functions), so it must
   * not get there another way: making a group, naming it globex's administrator and joining it (in either order, by
   * GRANT or through pangolin.add_member), joining an existing tenant administrator's role, granting itself
   * Pangolin's owner role, or resetting another principal's password.
   */
  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void aPlatformAdministratorCannotBecomeATenantAdministrator(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.fresh(server);
    String admin = scene.platformAdmin;
    String proxy = "proxy_" + admin;
    String early = "early_" + admin;
    assertThat(scene.refused(admin, "CREATE ROLE " + proxy + " NOLOGIN")).isEqualTo("42501");
    scene.allowed(admin, "SELECT pangolin.create_group('" + proxy + "')");
    scene.allowed(admin, "SELECT pangolin.add_tenant_admin('globex', '" + proxy + "')");
    scene.allowed(admin, "SELECT pangolin.create_group('" + early + "')");
    String before = scene.dump(false);
    SoftAssertions soft = new SoftAssertions();
    // The proxy, named globex's administrator: no way in.
    soft.assertThat(scene.refused(admin, "GRANT " + proxy + " TO " + admin)).as("GRANT proxy on %s", server)
        .isEqualTo("42501");
    soft.assertThat(scene.refused(admin, "SELECT pangolin.add_member('" + proxy + "', '" + admin + "')"))
        .as("add_member(proxy, admin) on %s", server).isEqualTo("42501");
    // The other order: a group the administrator joins first is then refused as a tenant administrator.
    soft.assertThat(scene.refused(admin, "SELECT pangolin.add_member('" + early + "', '" + admin + "')"))
        .as("add_member(early, admin) on %s", server).isEqualTo("42501");
    // An existing tenant administrator's role, and a group holding it.
    soft.assertThat(scene.refused(admin, "GRANT " + scene.tenantAdmin + " TO " + admin))
        .as("GRANT tenant admin on %s", server).isEqualTo("42501");
    soft.assertThat(scene.refused(admin, "SELECT pangolin.add_member('" + scene.tenantAdmin + "', '" + admin + "')"))
        .as("add_member(tenant admin, admin) on %s", server).isEqualTo("42501");
    // Pangolin's owner role, and role management itself.
    for (String role : new String[] {"pangolin_owner", "pangolin_role_admin", "pangolin_principal"}) {
      soft.assertThat(scene.refused(admin, "GRANT " + role + " TO " + admin)).as("GRANT %s on %s", role, server)
          .isEqualTo("42501");
      soft.assertThat(scene.refused(admin, "SET ROLE " + role)).as("SET ROLE %s on %s", role, server)
          .isEqualTo("42501");
    }
    // Another principal's password.
    soft.assertThat(scene.refused(admin, "ALTER ROLE " + scene.engine + " PASSWORD 'taken-over'"))
        .as("password reset on %s", server).isEqualTo("42501");
    soft.assertThat(scene.refused(admin, "ALTER ROLE " + proxy + " LOGIN PASSWORD 'taken-over'"))
        .as("making the proxy a login on %s", server).isEqualTo("42501");
    soft.assertThat(scene.allowed(admin, "SELECT count(*) FROM pangolin.warehouses WHERE access_key_id = '"
        + HostileScene.GX_KEY_ID + "'")).as("globex's keys seen by %s on %s", admin, server).containsExactly("0");
    soft.assertThat(scene.strings("SELECT r.rolname FROM pg_roles r WHERE r.rolname <> '" + admin + "'"
        + " AND pg_has_role('" + admin + "', r.oid, 'MEMBER') ORDER BY 1"))
        .as("roles %s is a member of on %s", admin, server).containsExactly("pangolin_platform_admin");
    // A membership left from before V13 (a superuser's grant stands in for it): the group is not named either.
    scene.superuser("GRANT " + early + " TO " + admin);
    soft.assertThat(scene.refused(admin, "SELECT pangolin.add_tenant_admin('globex', '" + early + "')"))
        .as("add_tenant_admin of a group the administrator belongs to on %s", server).isEqualTo("42501");
    scene.superuser("REVOKE " + early + " FROM " + admin);
    soft.assertThat(scene.dump(false)).isEqualTo(before);
    soft.assertAll();
  }
}
