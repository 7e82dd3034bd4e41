package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Secret;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import io.pangolin.warehouse.CredentialType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Every change, whoever makes it and however, leaves exactly one audit row in the same transaction, naming the
 * principal, the object, the action and the pointers; credentials are recorded as changed, never by value.
 */
class AuditTrailTest extends AclSceneTest {

  @Test
  void everyChangeKindLeavesOneRowNamingItsPrincipal() throws Exception {
    long from = lastId();
    TenantRegistry registry = TestCatalogs.tenants(scene.url);
    registry.createTenant("initech");
    registry.createWarehouse(new TenantRegistry.NewWarehouse("initech", "lake", "s3://acl-acme/initech", List.of(),
        TestCatalogs.s3Settings(s3), CredentialType.STATIC, "first-key", Secret.of("first-secret-value")));
    registry.setCredentials("initech", "lake", CredentialType.STATIC, "second-key", Secret.of("second-secret-value"));
    registry.createCatalog("initech", "main", "lake", null, Map.of());
    scene.grant(scene.adminA, scene.reader, "READ", "acme", "hr", null);
    try (Connection c = scene.connect(scene.adminA); Statement s = c.createStatement()) {
      s.execute("SELECT pangolin.revoke_privilege('" + scene.reader + "', 'READ', " + scene.catalogId("acme") + ", "
          + scene.namespaceId("acme", "hr") + ")");
    }
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      catalog.createNamespace(Namespace.of("ops"));
      Table t = catalog.createTable(TableIdentifier.of("ops", "t"), TestTables.SCHEMA);
      t.newAppend().appendFile(TestTables.dataFile(t, "a")).commit();
      catalog.renameTable(TableIdentifier.of("ops", "t"), TableIdentifier.of("ops", "u"));
      catalog.dropTable(TableIdentifier.of("ops", "u"), false);
      catalog.dropNamespace(Namespace.of("ops"));
    }

    String postgres = TestPostgres.get().user();
    String admin = scene.adminA;
    assertThat(rowsSince(from)).containsExactly(
        "tenants INSERT initech by " + postgres,
        "warehouses INSERT lake by " + postgres + " {}",
        "warehouses UPDATE lake by " + postgres + " {\"credentials_changed\": true}",
        "catalogs INSERT main by " + postgres,
        "grants GRANT " + scene.reader + " by " + admin,
        "grants REVOKE " + scene.reader + " by " + admin,
        "namespaces INSERT ops by " + admin,
        "relations INSERT ops.t by " + admin + " pointer set",
        "relations COMMIT ops.t by " + admin + " pointer moved",
        "relations RENAME ops.u by " + admin + " pointer kept",
        "relations DELETE ops.u by " + admin + " pointer cleared",
        "namespaces DELETE ops by " + admin);
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      assertThat(AccessControlSqlTest.rows(s, "SELECT id FROM pangolin.audit_log a WHERE a::text LIKE '%secret-value%'"
          + " OR a::text LIKE '%" + s3.secretKey() + "%'")).isEmpty();
    }
  }

  private long lastId() throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return Long.parseLong(AccessControlSqlTest.rows(s, "SELECT coalesce(max(id), 0) FROM pangolin.audit_log").get(0));
    }
  }

  private List<String> rowsSince(long from) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return AccessControlSqlTest.rows(s, "SELECT object_kind || ' ' || action || ' ' || object_name || ' by '"
          + " || principal || CASE object_kind WHEN 'warehouses' THEN ' ' || detail::text"
          + " WHEN 'relations' THEN ' pointer ' || CASE"
          + "   WHEN old_pointer IS NULL THEN 'set' WHEN new_pointer IS NULL THEN 'cleared'"
          + "   WHEN old_pointer = new_pointer THEN 'kept' ELSE 'moved' END ELSE '' END"
          + " FROM pangolin.audit_log WHERE id > " + from + " ORDER BY id");
    }
  }
}
