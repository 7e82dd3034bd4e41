package io.pangolin.catalog;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestS3;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.postgresql.ds.PGSimpleDataSource;

/** What the graveyard tests share on top of an {@link AclScene}: admin APIs per login, and rows to compare. */
abstract class GraveyardScene extends AclSceneTest {

  static final List<String> TABLES = List.of("tenants", "warehouses", "catalogs", "namespaces", "relations", "grants",
      "tenant_admins", "audit_log", "dropped_relations");

  PangolinAdmin superuserAdmin() {
    return new PangolinAdmin(TestCatalogs.dataSource(scene.url), masterKey());
  }

  PangolinAdmin adminAs(String user) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(scene.url);
    ds.setUser(user);
    ds.setPassword(scene.password());
    return new PangolinAdmin(ds, masterKey());
  }

  private static Optional<SecretCipher> masterKey() {
    return Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY));
  }

  /** Every row of every Pangolin table, the graveyard included. */
  String dump() throws SQLException {
    return AclScene.dump(scene.url, TABLES);
  }

  /** The graveyard as "ns.name kind purge|keep", oldest first. */
  List<String> graveyard() throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return AccessControlSqlTest.rows(s, "SELECT array_to_string(namespace_levels, '.') || '.' || name || ' ' || kind"
          + " || CASE WHEN purge_requested THEN ' purge' ELSE ' keep' END || ' by ' || dropped_by"
          + " FROM pangolin.dropped_relations ORDER BY id");
    }
  }

  /** Audit rows of the graveyard and of relations, after {@code from}, as "kind action name by principal". */
  List<String> auditSince(long from) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return AccessControlSqlTest.rows(s, "SELECT object_kind || ' ' || action || ' ' || object_name || ' by '"
          + " || principal FROM pangolin.audit_log WHERE id > " + from
          + " AND object_kind IN ('relations', 'dropped_relations') ORDER BY id");
    }
  }

  long lastAuditId() throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return Long.parseLong(AccessControlSqlTest.rows(s, "SELECT coalesce(max(id), 0) FROM pangolin.audit_log").get(0));
    }
  }

  void retention(String interval) throws SQLException {
    scene.superuser("UPDATE pangolin.catalogs SET drop_retention = interval '" + interval + "'");
  }

  /** Object keys under a table's location in acme's bucket. */
  List<String> keysOf(Table table) {
    String location = ((HasTableOperations) table).operations().current().location();
    return s3.keys("acl-acme", location.substring("s3://acl-acme/".length()) + "/");
  }
}
