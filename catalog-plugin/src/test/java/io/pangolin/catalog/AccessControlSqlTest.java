package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each principal, through raw SQL with its own login as a hostile user would, sees only what it may and cannot
 * change anything outside its rights: every attempt is refused with SQLSTATE 42501 or matches nothing, and every
 * Pangolin table is the same afterwards.
 */
class AccessControlSqlTest extends AclSceneTest {

  @Test
  void eachPrincipalSeesOnlyWhatItMay() throws SQLException {
    assertThat(seen(scene.reader)).containsExactly(
        "tenants:acme", "warehouses:lake", "catalogs:main", "namespaces:sales,sales.eu",
        "relations:eu_orders,orders,returns", "jdbc:sales.eu.eu_orders,sales.orders,sales.returns");
    assertThat(seen(scene.writer)).containsExactly(
        "tenants:acme", "warehouses:lake", "catalogs:main", "namespaces:sales", "relations:orders",
        "jdbc:sales.orders");
    assertThat(seen(scene.adminB)).containsExactly(
        "tenants:globex", "warehouses:lake", "catalogs:main", "namespaces:ops", "relations:events",
        "jdbc:ops.events");
    try (Connection c = scene.connect(scene.platform); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT name FROM pangolin.tenants ORDER BY name")).containsExactly("acme", "globex");
      assertThat(rows(s, "SELECT name FROM pangolin.warehouses")).isEmpty();
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).isEmpty();
    }
    try (Connection c = scene.connect(scene.reader); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT secret_access_key FROM pangolin.warehouses w JOIN pangolin.tenants t"
          + " ON t.id = w.tenant_id WHERE t.name = 'globex'")).isEmpty();
      assertThat(rows(s, "SELECT action FROM pangolin.audit_log")).isEmpty();
    }
  }

  @Test
  void hostileAttemptsAreRefusedAndChangeNothing() throws SQLException {
    long acme = scene.catalogId("acme");
    long globex = scene.catalogId("globex");
    long orders = scene.relationId("acme", "sales", "orders");
    long events = scene.relationId("globex", "ops", "events");
    String before = scene.dump();
    for (String principal : List.of(scene.platform, scene.reader, scene.writer, scene.adminB)) {
      try (Connection victim = scene.connect(scene.adminA); Connection c = scene.connect(principal);
          Statement s = c.createStatement()) {
        int victimPid = pid(victim);
        refused(s, "SELECT pg_terminate_backend(" + victimPid + ")");
        refused(s, "SET ROLE pangolin_owner");
        refused(s, "INSERT INTO pangolin.grants (catalog_id, grantee, privilege) VALUES (" + acme + ", '"
            + principal + "', 'WRITE')");
        refused(s, "SELECT pangolin.grant_privilege('" + principal + "', 'WRITE', " + acme + ")");
        if (!principal.equals(scene.adminB)) {
          refused(s, "SELECT pangolin.grant_privilege('" + principal + "', 'READ', " + globex + ")");
        }
        refused(s, "SELECT pangolin.revoke_privilege('" + scene.reader + "', 'READ', " + acme + ", "
            + scene.namespaceId("acme", "sales") + ")");
        refused(s, "UPDATE pangolin.audit_log SET principal = 'nobody'");
        refused(s, "DELETE FROM pangolin.audit_log");
        refused(s, "SELECT pangolin.prune_audit('0 seconds')");
        refused(s, "INSERT INTO pangolin.tenant_admins (tenant_id, role_name) VALUES (" + scene.tenantId("acme")
            + ", '" + principal + "')");
        refused(s, "UPDATE pangolin.grants SET privilege = 'MANAGE_GRANTS'");
        boolean inGlobex = principal.equals(scene.adminB);
        assertThat(rows(s, "SELECT pangolin.may('WRITE', " + (inGlobex ? acme : globex) + ", NULL, "
            + (inGlobex ? orders : events) + ")")).containsExactly("f");
        assertThat(rows(s, "SELECT pangolin.sees(" + (inGlobex ? acme : globex) + ", NULL, NULL)"))
            .containsExactly("f");
        if (!principal.equals(scene.adminB)) {
          nothing(s, "UPDATE pangolin.relations SET metadata_location = 's3://evil/x.json' WHERE id = " + events);
          nothing(s, "DELETE FROM pangolin.relations WHERE id = " + events);
          nothing(s, "UPDATE pangolin.warehouses SET secret_access_key = 'x' WHERE tenant_id = "
              + scene.tenantId("globex"));
        } else {
          nothing(s, "UPDATE pangolin.relations SET metadata_location = 's3://evil/x.json' WHERE id = " + orders);
          nothing(s, "UPDATE pangolin.warehouses SET secret_access_key = 'x' WHERE tenant_id = "
              + scene.tenantId("acme"));
        }
        if (principal.equals(scene.reader) || principal.equals(scene.writer)) {
          // The reader sees orders but may not write it; the writer does not even see returns.
          if (principal.equals(scene.reader)) {
            refused(s, "UPDATE pangolin.relations SET metadata_location = 's3://evil/x.json' WHERE name = 'orders'");
            refused(s, "UPDATE pangolin_jdbc.iceberg_tables SET metadata_location = 's3://evil/x.json'"
                + " WHERE table_name = 'orders'");
          } else {
            nothing(s, "UPDATE pangolin.relations SET metadata_location = 's3://evil/x.json' WHERE name = 'returns'");
          }
          refused(s, "DELETE FROM pangolin.relations WHERE id = " + orders);
          refused(s, "INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location) VALUES ("
              + scene.namespaceId("acme", "sales") + ", 'planted', 'TABLE', 's3://evil/x.json')");
          refused(s, "UPDATE pangolin.warehouses SET secret_access_key = 'x'");
          refused(s, "UPDATE pangolin.catalogs SET properties = '{\"a\": \"b\"}'");
          refused(s, "INSERT INTO pangolin.tenants (name) VALUES ('evil')");
        }
      }
    }
    assertThat(scene.dump()).isEqualTo(before);
  }

  @Test
  void aPointerWrittenThroughTheLayoutMustLieInsideItsWarehouse() throws SQLException {
    String before = scene.dump();
    try (Connection c = scene.connect(scene.writer); Statement s = c.createStatement()) {
      for (String outside : List.of("s3://acl-globex/warehouse/main/ops/evil.metadata.json",
          "s3://acl-acme/warehouse/../elsewhere/x.metadata.json", "s3://acl-acme/warehouse/%2E%2E/x.metadata.json",
          "s3://acl-acme/warehouse-evil/x.metadata.json", "file:/tmp/x.metadata.json")) {
        assertThatThrownBy(() -> s.executeUpdate("UPDATE pangolin_jdbc.iceberg_tables SET metadata_location = '"
            + outside + "' WHERE table_namespace = 'sales' AND table_name = 'orders'"))
            .as(outside)
            .isInstanceOf(SQLException.class)
            .hasMessageContaining("is outside warehouse \"lake\"")
            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23514"));
      }
    }
    assertThat(scene.dump()).isEqualTo(before);
  }

  @Test
  void grantUseRevokeUseAgainAndGroupsReachMembers() throws SQLException {
    String analysts = scene.login("analysts", null);
    String member = scene.login("member", "pangolin_principal");
    scene.superuser("GRANT " + analysts + " TO " + member);
    try (Connection c = scene.connect(member); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).isEmpty();
      scene.grant(scene.adminA, analysts, "READ", "acme", "hr", null);
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).containsExactly("staff");
      refused(s, "UPDATE pangolin.relations SET metadata_location = 'x' WHERE name = 'staff'");

      scene.grant(scene.adminA, analysts, "WRITE", "acme", "hr", null);
      assertThat(s.executeUpdate("UPDATE pangolin.relations SET updated_at = now() WHERE name = 'staff'"))
          .isEqualTo(1);

      try (Connection admin = scene.connect(scene.adminA); Statement a = admin.createStatement()) {
        a.execute("SELECT pangolin.revoke_privilege('" + analysts + "', 'WRITE', " + scene.catalogId("acme") + ", "
            + scene.namespaceId("acme", "hr") + ")");
      }
      refused(s, "UPDATE pangolin.relations SET updated_at = now() WHERE name = 'staff'");
      try (Connection admin = scene.connect(scene.adminA); Statement a = admin.createStatement()) {
        a.execute("SELECT pangolin.revoke_privilege('" + analysts + "', 'READ', " + scene.catalogId("acme") + ", "
            + scene.namespaceId("acme", "hr") + ")");
      }
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).isEmpty();
    }
  }

  private List<String> seen(String principal) throws SQLException {
    try (Connection c = scene.connect(principal); Statement s = c.createStatement()) {
      return List.of(
          "tenants:" + joined(s, "SELECT name FROM pangolin.tenants"),
          "warehouses:" + joined(s, "SELECT name FROM pangolin.warehouses"),
          "catalogs:" + joined(s, "SELECT name FROM pangolin.catalogs"),
          "namespaces:" + joined(s, "SELECT array_to_string(levels, '.') FROM pangolin.namespaces"),
          "relations:" + joined(s, "SELECT name FROM pangolin.relations"),
          "jdbc:" + joined(s, "SELECT table_namespace || '.' || table_name FROM pangolin_jdbc.iceberg_tables"));
    }
  }

  private static String joined(Statement s, String sql) throws SQLException {
    return String.join(",", rows(s, "SELECT x FROM (" + sql + ") q(x) ORDER BY x"));
  }

  static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  static void refused(Statement s, String sql) {
    assertThatThrownBy(() -> s.execute(sql))
        .as(sql)
        .isInstanceOf(SQLException.class)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(e.getMessage()).isEqualTo("42501"));
  }

  /** Either refused outright or, for rows the principal cannot see, matching nothing. */
  private static void nothing(Statement s, String sql) {
    try {
      assertThat(s.executeUpdate(sql)).as(sql).isZero();
    } catch (SQLException e) {
      assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo("42501");
    }
  }
}
