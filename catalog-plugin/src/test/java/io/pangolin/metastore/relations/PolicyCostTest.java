package io.pangolin.metastore.relations;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.AclSceneTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Row-level security works out what a principal sees once per statement: the catalog's list and load statements,
 * run as a principal, call the access-control functions the same number of times whether the namespace holds 2
 * tables or 202 and whether the catalog has 4 namespaces and 3 grants or 204 and 203. Counted by PostgreSQL itself
 * (track_functions, for the running transaction), never timed. The rows returned are checked too.
 */
class PolicyCostTest extends AclSceneTest {

  private static final int ADDED = 200;

  @BeforeEach
  void countFunctionCallsOfTheReader() throws SQLException {
    scene.superuser("ALTER ROLE " + scene.reader + " SET track_functions = 'all'");
  }

  @Test
  void listAndLoadCostTheSameCallsWhateverTheRowsAndGrants() throws SQLException {
    Calls listBefore = run(CatalogSql.LIST_RELATIONS, "TABLE", scene.catalogId("acme"), "sales");
    Calls loadBefore = run(CatalogSql.LOAD_POINTER, warehouseId(), scene.catalogId("acme"), "sales", "orders");
    assertThat(listBefore.rows()).containsExactly("orders", "returns");
    assertThat(listBefore.functionCalls()).isPositive();

    long sales = scene.namespaceId("acme", "sales");
    scene.superuser("INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)"
        + " SELECT " + sales + ", 'bulk_' || g, 'TABLE', 's3://acl-acme/warehouse/sales/bulk/metadata/v1.json'"
        + " FROM generate_series(1, " + ADDED + ") g");
    scene.superuser("INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT " + scene.catalogId("acme")
        + ", ARRAY['team_' || g] FROM generate_series(1, " + ADDED + ") g");
    scene.superuser("INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)"
        + " SELECT n.catalog_id, n.id, '" + scene.writer + "', 'READ' FROM pangolin.namespaces n"
        + " WHERE n.levels[1] LIKE 'team\\_%'");

    Calls listAfter = run(CatalogSql.LIST_RELATIONS, "TABLE", scene.catalogId("acme"), "sales");
    Calls loadAfter = run(CatalogSql.LOAD_POINTER, warehouseId(), scene.catalogId("acme"), "sales", "orders");
    assertThat(listAfter.rows()).hasSize(ADDED + 2).contains("orders", "returns", "bulk_1", "bulk_" + ADDED);
    assertThat(listAfter.functionCalls()).as("policy function calls listing %d tables, against 2", ADDED + 2)
        .isEqualTo(listBefore.functionCalls());
    assertThat(loadAfter.rows()).containsExactly("TABLE");
    assertThat(loadAfter.functionCalls()).as("policy function calls loading one table among %d namespaces",
        ADDED + 4).isEqualTo(loadBefore.functionCalls());
  }

  /** The first column of each row, and the calls of functions in schema pangolin the statement made. */
  private record Calls(List<String> rows, long functionCalls) {}

  /** Runs {@code sql} as the reader in a transaction of its own; a String array parameter is bound as levels. */
  private Calls run(String sql, Object... params) throws SQLException {
    try (Connection c = scene.connect(scene.reader)) {
      c.setAutoCommit(false);
      List<String> rows = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          boolean levels = i == params.length - (sql.equals(CatalogSql.LOAD_POINTER) ? 2 : 1);
          s.setObject(i + 1, levels ? c.createArrayOf("text", new String[] {(String) params[i]}) : params[i]);
        }
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            rows.add(rs.getString(1));
          }
        }
      }
      try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(pg_stat_get_xact_function_calls(p.oid)), 0)"
          + " FROM pg_proc p WHERE p.pronamespace = 'pangolin'::regnamespace");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        long calls = rs.getLong(1);
        c.rollback();
        return new Calls(rows, calls);
      }
    }
  }

  private long warehouseId() throws SQLException {
    try (Connection c = scene.superuser();
        PreparedStatement s = c.prepareStatement("SELECT warehouse_id FROM pangolin.catalogs WHERE id = ?")) {
      s.setLong(1, scene.catalogId("acme"));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
