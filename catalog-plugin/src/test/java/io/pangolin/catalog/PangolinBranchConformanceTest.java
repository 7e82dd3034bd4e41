package io.pangolin.catalog;

import java.util.Map;

/** Iceberg's catalog conformance suite on a branch other than main. */
class PangolinBranchConformanceTest extends PangolinCatalogConformanceTest {

  @Override
  Map<String, String> refProperties(String databaseUrl) {
    return BranchConformance.onBranch(databaseUrl);
  }
}
