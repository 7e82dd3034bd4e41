package io.pangolin.catalog;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.testing.TestCatalogs;
import java.util.Map;
import java.util.Optional;

/** Opens the conformance suites on branch {@code dev} of the test catalog, made from main on first use. */
final class BranchConformance {

  static final String BRANCH = "dev";

  private BranchConformance() {}

  static Map<String, String> onBranch(String url) {
    PangolinAdmin admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    if (admin.listRefs("acme", "main").stream().noneMatch(r -> r.name().equals(BRANCH))) {
      admin.createBranch("acme", "main", BRANCH, null);
    }
    return Map.of(PangolinConfig.REF, BRANCH);
  }
}
