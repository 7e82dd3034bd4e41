package io.pangolin.catalog;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.testing.TestCatalogs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Opens the conformance suites on branch {@code dev} of the test catalog, made from main on first use, with
 * consistent reads on; and the
 * branch tests' catalogs of tenant acme's catalog main on a given ref.
 */
final class BranchConformance {

  static final String BRANCH = "dev";

  /** The tables that hold what main and every branch and tag show. */
  static final List<String> ROWS = List.of("namespaces", "relations", "refs", "ref_relations", "ref_namespaces");

  private BranchConformance() {}

  static Map<String, String> onBranch(String url) {
    PangolinAdmin admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    if (admin.listRefs("acme", "main").stream().noneMatch(r -> r.name().equals(BRANCH))) {
      admin.createBranch("acme", "main", BRANCH, null);
    }
    // Consistent reads on as well: Iceberg's suites then also show that bursts change nothing a catalog promises.
    return Map.of(PangolinConfig.REF, BRANCH, PangolinConfig.CONSISTENT_READS, "true");
  }

  /** The first column of every row of {@code sql}, as the superuser reads it. */
  static List<String> query(String url, String sql) throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }
}
