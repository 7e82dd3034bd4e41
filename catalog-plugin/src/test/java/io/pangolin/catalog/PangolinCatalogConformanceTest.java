package io.pangolin.catalog;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.CatalogTests;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Iceberg's own catalog conformance suite, against Pangolin on PostgreSQL with an S3 warehouse. */
class PangolinCatalogConformanceTest extends CatalogTests<PangolinCatalog> {

  private static final String BUCKET = "conformance";
  private static TestS3 s3;

  private String url;
  private PangolinCatalog catalog;

  @BeforeAll
  static void startS3() {
    s3 = TestS3.start("conformance-key", "conformance-secret");
    s3.createBucket(BUCKET);
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
    catalog = initCatalog("main", Map.of());
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
  protected PangolinCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.putAll(additionalProperties);
    PangolinCatalog c = new PangolinCatalog();
    c.initialize(catalogName, props);
    return c;
  }

  @Override
  protected String baseTableLocation(TableIdentifier id) {
    return "s3://" + BUCKET + "/warehouse/explicit/" + id.namespace() + "/" + id.name();
  }

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  @Override
  protected boolean supportsNestedNamespaces() {
    return true;
  }

  @Override
  protected boolean supportsNamesWithDot() {
    return true;
  }

  @Override
  protected boolean supportsNamesWithSlashes() {
    return true;
  }

  @Override
  protected boolean supportsServerSideRetry() {
    return false;
  }
}
