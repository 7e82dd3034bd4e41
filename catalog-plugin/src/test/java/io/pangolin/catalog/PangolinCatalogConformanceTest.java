package io.pangolin.catalog;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.CatalogTests;
import org.apache.iceberg.exceptions.NotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    catalog = initCatalog("main", Map.of(
        CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key1", "catalog-default-key1",
        CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key2", "catalog-default-key2",
        CatalogProperties.TABLE_DEFAULT_PREFIX + "override-key3", "catalog-default-key3",
        CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key3", "catalog-override-key3",
        CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key4", "catalog-override-key4"));
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
  protected PangolinCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.putAll(refProperties(url));
    props.putAll(additionalProperties);
    PangolinCatalog c = new PangolinCatalog();
    c.initialize(catalogName, props);
    return c;
  }

  /**
   * Iceberg's version moves the metadata file with java.nio, which only works for file: tables. The same promise
   * on S3: a pointer to a metadata file that is gone gives NotFoundException naming the table and the file.
   */
  @Override
  @Test
  public void testLoadTableWithMissingMetadataFile(@TempDir Path unused) {
    catalog.createNamespace(NS);
    Table table = catalog.buildTable(TABLE, SCHEMA).create();
    String metadata = ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation();
    String key = metadata.substring(("s3://" + BUCKET + "/").length());
    try (var client = s3.client()) {
      client.deleteObject(b -> b.bucket(BUCKET).key(key));
    }
    assertThat(s3.keys(BUCKET, key)).isEmpty();
    PangolinCatalog fresh = initCatalog("fresh", Map.of());
    try {
      assertThatThrownBy(() -> fresh.loadTable(TABLE))
          .isInstanceOf(NotFoundException.class)
          .hasMessageContaining(TABLE.toString())
          .hasMessageContaining(metadata);
    } finally {
      fresh.close();
    }
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
