package io.pangolin.bench.catalogs;

import io.pangolin.bench.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Uncounted queries the adapters run to inspect their databases, never inside a timed operation. */
final class AdminSql {

  private AdminSql() {}

  /** The single number {@code query} returns, with {@code params} bound as strings. */
  static long count(String url, String query, String... params) {
    try (Connection conn = Servers.admin(url); PreparedStatement stmt = conn.prepareStatement(query)) {
      for (int i = 0; i < params.length; i++) {
        stmt.setString(i + 1, params[i]);
      }
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run " + query, e);
    }
  }

  /** Refreshes the planner statistics of a catalog's own tables after bulk inserts. */
  static void analyze(String url, String... tables) {
    try (Connection conn = Servers.admin(url); java.sql.Statement stmt = conn.createStatement()) {
      for (String table : tables) {
        stmt.execute("VACUUM ANALYZE " + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot analyze " + String.join(", ", tables), e);
    }
  }
}
