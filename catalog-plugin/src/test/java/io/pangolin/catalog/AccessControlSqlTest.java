package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /**
   * The plugin's load and commit on main are functions that check one object by index (V9) instead of the read
   * policies: for every principal and every table of both tenants, the load answers exactly what a SELECT under
   * the policies answers, and the swap moves nothing it must not: an unseen table answers 0 like a missing one,
   * a seen one without WRITE is refused, and a foreign warehouse's version is never answered.
   */
  @Test
  void theLoadAndSwapFunctionsAnswerWhatThePoliciesAllow() throws SQLException {
    List<String[]> tables = List.of(new String[] {"acme", "sales", "orders"}, new String[] {"acme", "sales", "returns"},
        new String[] {"acme", "sales.eu", "eu_orders"}, new String[] {"acme", "hr", "staff"},
        new String[] {"globex", "ops", "events"});
    Map<String, Long> warehouses = new HashMap<>();
    for (String tenant : List.of("acme", "globex")) {
      warehouses.put(tenant, scene.warehouseId(tenant));
    }
    String before = scene.dump();
    try (Connection c = scene.connect(scene.platform); Statement s = c.createStatement()) {
      // The platform administrator manages tenants, not tables: the table functions are not its to call.
      refused(s, "SELECT * FROM pangolin.load_pointer(" + warehouses.get("acme") + ", " + scene.catalogId("acme")
          + ", '{sales}', 'orders')");
    }
    for (String principal : List.of(scene.adminA, scene.reader, scene.writer, scene.adminB)) {
      try (Connection c = scene.connect(principal); Statement s = c.createStatement()) {
        for (String[] t : tables) {
          long catalog = scene.catalogId(t[0]);
          String levels = "string_to_array('" + t[1] + "', '.')";
          String where = "n.catalog_id = " + catalog + " AND n.levels = " + levels + " AND r.name = '" + t[2] + "'";
          List<String> byPolicy = rows(s, "SELECT r.metadata_location FROM pangolin.relations r"
              + " JOIN pangolin.namespaces n ON n.id = r.namespace_id WHERE " + where);
          for (String tenant : List.of("acme", "globex")) {
            List<String> loaded = rows(s, "SELECT metadata_location || ' ' || (warehouse_version IS NOT NULL)"
                + " FROM pangolin.load_pointer(" + warehouses.get(tenant) + ", " + catalog + ", " + levels + ", '"
                + t[2] + "')");
            boolean ownWarehouse = tenant.equals(t[0]);
            assertThat(loaded).as("%s loads %s with %s's warehouse", principal, String.join(".", t), tenant)
                .isEqualTo(byPolicy.stream().map(l -> l + " " + ownWarehouse).toList());
          }
          String swap = "SELECT pangolin.swap_pointer('s3://acl-" + t[0] + "/warehouse/x.metadata.json', " + catalog
              + ", " + levels + ", '" + t[2] + "', 'TABLE', 'not-the-current-pointer')";
          boolean mayWrite = principal.equals(t[0].equals("acme") ? scene.adminA : scene.adminB)
              || principal.equals(scene.writer) && t[2].equals("orders");
          if (byPolicy.isEmpty() || mayWrite) {
            assertThat(rows(s, swap)).as("%s swaps %s", principal, String.join(".", t)).containsExactly("0");
          } else {
            refused(s, swap);
          }
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
        // The plugin's own commit function is held to the same rule by the same trigger.
        assertThatThrownBy(() -> s.executeQuery("SELECT pangolin.swap_pointer('" + outside + "', "
            + scene.catalogId("acme") + ", '{sales}', 'orders', 'TABLE', (SELECT metadata_location"
            + " FROM pangolin.relations WHERE id = " + scene.relationId("acme", "sales", "orders") + "))"))
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
    // A commit that leaves the pointer where it is: 1 when allowed, whatever the table holds.
    String staffCommit = "SELECT pangolin.swap_pointer(r.metadata_location, " + scene.catalogId("acme")
        + ", '{hr}', 'staff', 'TABLE', r.metadata_location) FROM pangolin.relations r WHERE r.name = 'staff'";
    try (Connection c = scene.connect(member); Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).isEmpty();
      scene.grant(scene.adminA, analysts, "READ", "acme", "hr", null);
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).containsExactly("staff");
      refused(s, "UPDATE pangolin.relations SET metadata_location = 'x' WHERE name = 'staff'");

      scene.grant(scene.adminA, analysts, "WRITE", "acme", "hr", null);
      assertThat(rows(s, staffCommit)).containsExactly("1");
      // WRITE is a right to commit through the functions, never to write the table itself.
      refused(s, "UPDATE pangolin.relations SET updated_at = now() WHERE name = 'staff'");

      try (Connection admin = scene.connect(scene.adminA); Statement a = admin.createStatement()) {
        a.execute("SELECT pangolin.revoke_privilege('" + analysts + "', 'WRITE', " + scene.catalogId("acme") + ", "
            + scene.namespaceId("acme", "hr") + ")");
      }
      refused(s, staffCommit);
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
