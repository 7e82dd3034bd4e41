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
   * role it belongs to. With CREATEROLE it must not get there another way: by granting itself a role it has just
   * named, or (before PostgreSQL 16) Pangolin's owner role.
   */
  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void aPlatformAdministratorCannotBecomeATenantAdministrator(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.fresh(server);
    String admin = scene.platformAdmin;
    String proxy = "proxy_" + admin;
    scene.allowed(admin, "CREATE ROLE " + proxy + " NOLOGIN");
    scene.allowed(admin, "SELECT pangolin.add_tenant_admin('globex', '" + proxy + "')");
    String before = scene.dump(false);
    boolean granted;
    try {
      scene.allowed(admin, "GRANT " + proxy + " TO " + admin);
      granted = true;
    } catch (SQLException refused) {
      granted = false;
    }
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(scene.allowed(admin, "SELECT count(*) FROM pangolin.warehouses WHERE access_key_id = '"
        + HostileScene.GX_KEY_ID + "'"))
        .as("globex's keys seen by %s after 'GRANT %s TO %s' (%s) on %s", admin, proxy, admin,
            granted ? "accepted" : "refused", server)
        .containsExactly("0");
    soft.assertThatThrownBy(() -> scene.allowed(admin, "GRANT pangolin_owner TO " + admin))
        .as("GRANT pangolin_owner TO %s on %s", admin, server).isInstanceOf(SQLException.class);
    soft.assertThat(scene.dump(false)).isEqualTo(before);
    soft.assertAll();
  }
}
