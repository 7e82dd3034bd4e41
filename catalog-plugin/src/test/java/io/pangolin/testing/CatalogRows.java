package io.pangolin.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Every namespace and relation row of a catalog database, for asserting that a refused call changed nothing. */
public final class CatalogRows {

  private static final String DUMP = """
      SELECT 'namespace ' || row_to_json(n)::text FROM pangolin.namespaces n
      UNION ALL
      SELECT 'relation ' || row_to_json(r)::text FROM pangolin.relations r
      ORDER BY 1
      """;

  private CatalogRows() {}

  public static List<String> dump(String url) {
    return query(url, DUMP);
  }

  /** The first column of every row {@code sql} returns, as the migrating superuser. */
  public static List<String> query(String url, String sql) {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run " + sql, e);
    }
  }
}
