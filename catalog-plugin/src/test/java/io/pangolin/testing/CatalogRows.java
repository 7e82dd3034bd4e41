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
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(DUMP)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot dump the catalog rows", e);
    }
  }
}
