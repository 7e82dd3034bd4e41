package io.pangolin.catalog;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.view.ViewCatalogTests;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Iceberg's own view catalog conformance suite, against Pangolin on PostgreSQL with an S3 warehouse. */
class PangolinViewCatalogConformanceTest extends ViewCatalogTests<PangolinCatalog> {

  private static final String BUCKET = "view-conformance";
  private static TestS3 s3;

  private PangolinCatalog catalog;

  @BeforeAll
  static void startS3() {
    s3 = TestS3.start("view-key", "view-secret");
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
    catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
  }

  @AfterEach
  void tearDown() {
    catalog.close();
  }

  @Override
  protected PangolinCatalog catalog() {
    return catalog;
  }

  @Override
  protected Catalog tableCatalog() {
    return catalog;
  }

  @Override
  protected String viewLocation(String... paths) {
    return "s3://" + BUCKET + "/warehouse/explicit/" + String.join("/", paths);
  }

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }
}
