package io.pangolin.catalog;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
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
    Map<String, String> props = new java.util.HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.putAll(refProperties(url));
    props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key1", "catalog-default-key1");
    props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key2", "catalog-default-key2");
    props.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key3", "catalog-default-key3");
    props.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key3", "catalog-override-key3");
    props.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key4", "catalog-override-key4");
    catalog.initialize("main", props);
  }

  @AfterEach
  void tearDown() {
    catalog.close();
  }

  /** The properties that choose the branch the suite runs on; main by default. */
  Map<String, String> refProperties(String databaseUrl) {
    return Map.of();
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
