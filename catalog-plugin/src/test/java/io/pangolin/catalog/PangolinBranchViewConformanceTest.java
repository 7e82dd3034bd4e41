package io.pangolin.catalog;

import java.util.Map;

/** Iceberg's view catalog conformance suite on a branch other than main. */
class PangolinBranchViewConformanceTest extends PangolinViewCatalogConformanceTest {

  @Override
  Map<String, String> refProperties(String databaseUrl) {
    return BranchConformance.onBranch(databaseUrl);
  }
}
