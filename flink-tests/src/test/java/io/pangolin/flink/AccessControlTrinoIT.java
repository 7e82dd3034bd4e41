package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.AclScene;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trino through the JDBC-catalog layout, logged in as tenant globex's administrator (catalogs {@code globex} and
 * {@code globex_at_acme} of {@link SharedTrino}): it sees globex's tables and nothing of acme's, even when its
 * catalog file names acme's catalog, and the changes it makes are in the audit trail under that principal.
 */
class AccessControlTrinoIT {

  private static TrinoServer trino;
  private static AclScene scene;

  @BeforeAll
  static void start() throws Exception {
    trino = SharedTrino.get().server();
    scene = SharedTrino.get().scene();
  }

  @AfterAll
  static void dropRoles() throws SQLException {
    // Only these tests use the scene's logins; the catalogs of TrinoIT do not.
    scene.close();
  }

  @Test
  void globexsAdministratorSeesGlobexAndNothingOfAcme() throws Exception {
    assertThat(trino.rows("SHOW SCHEMAS FROM globex")).contains(List.of("ops")).doesNotContain(List.of("sales"));
    assertThat(trino.rows("SHOW TABLES FROM globex.ops")).contains(List.of("events"));

    // A catalog file naming acme's catalog gets the same login nothing: only Trino's own schemas, no table, no row.
    assertThat(trino.rows("SHOW SCHEMAS FROM globex_at_acme"))
        .containsExactlyInAnyOrder(List.of("information_schema"), List.of("system"));
    assertThatThrownBy(() -> trino.rows("SHOW TABLES FROM globex_at_acme.sales"))
        .hasMessageContaining("Schema 'sales' does not exist");
    assertThatThrownBy(() -> trino.rows("SELECT * FROM globex_at_acme.sales.orders"))
        .hasMessageContaining("does not exist");
    String before = scene.dump();
    assertThatThrownBy(() -> trino.update("CREATE TABLE globex_at_acme.sales.planted (id BIGINT)"))
        .hasMessageContaining("Schema sales not found");
    assertThat(scene.dump()).isEqualTo(before);
  }

  @Test
  void globexsAdministratorsWritesAreAuditedUnderItsName() throws Exception {
    trino.update("CREATE TABLE globex.ops.from_trino (id BIGINT, note VARCHAR)");
    trino.update("INSERT INTO globex.ops.from_trino VALUES (1, 'written by trino')");

    assertThat(trino.rows("SELECT id, note FROM globex.ops.from_trino")).containsExactly(List.of(1L, "written by trino"));
    // Trino's CREATE TABLE registers the table and then commits once more; its INSERT is the last commit.
    String by = " by " + scene.adminB + " to ";
    String pointer = pointer("ops.from_trino");
    assertThat(audit("ops.from_trino"))
        .hasSizeGreaterThanOrEqualTo(2)
        .allMatch(row -> row.contains(by), "names " + scene.adminB)
        .first().asString().startsWith("INSERT" + by);
    assertThat(audit("ops.from_trino")).last().isEqualTo("COMMIT" + by + pointer);
  }

  /** The table's metadata pointer, as the superuser reads it. */
  private static String pointer(String table) throws SQLException {
    return superuserRows("SELECT r.metadata_location FROM pangolin.relations r"
        + " JOIN pangolin.namespaces n ON n.id = r.namespace_id"
        + " WHERE array_to_string(n.levels, '.') || '.' || r.name = ? AND n.catalog_id = ?", table).get(0);
  }

  /** Audit rows of a table of globex's catalog main, as the superuser reads them. */
  private static List<String> audit(String table) throws SQLException {
    return superuserRows("SELECT action || ' by ' || principal || ' to ' || coalesce(new_pointer, 'null')"
        + " FROM pangolin.audit_log WHERE object_kind = 'relations' AND object_name = ?"
        + " AND tenant_id = (SELECT tenant_id FROM pangolin.catalogs WHERE id = ?) ORDER BY id", table);
  }

  /** The first column of a query's rows, bound to a table name and globex's catalog id. */
  private static List<String> superuserRows(String sql, String table) throws SQLException {
    try (Connection c = scene.superuser(); PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, table);
      s.setLong(2, scene.catalogId("globex"));
      List<String> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    }
  }
}
