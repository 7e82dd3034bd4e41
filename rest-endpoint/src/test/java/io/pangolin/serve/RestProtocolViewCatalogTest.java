package io.pangolin.serve;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.view.ViewCatalogTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iceberg's view conformance suite through Iceberg's own {@link RESTCatalog} against the endpoint over HTTP. */
public class RestProtocolViewCatalogTest extends ViewCatalogTests<RESTCatalog> implements EndpointUnderTest {

  @TempDir
  Path warehouse;

  private EndpointFixture endpoint;
  private RESTCatalog catalog;

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = EndpointFixture.start(backends(warehouse));
    Map<String, String> properties = new HashMap<>(clientProperties());
    properties.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key1", "catalog-default-key1");
    properties.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key2", "catalog-default-key2");
    properties.put(CatalogProperties.VIEW_DEFAULT_PREFIX + "key3", "catalog-default-key3");
    properties.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key3", "catalog-override-key3");
    properties.put(CatalogProperties.VIEW_OVERRIDE_PREFIX + "key4", "catalog-override-key4");
    catalog = endpoint.client("rest", properties);
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    endpoint.close();
  }

  @Override
  @Test
  @Disabled(RestProtocolCatalogTest.EMPTY)
  public void listViewsInEmptyNamespace() {}

  @Override
  protected RESTCatalog catalog() {
    return catalog;
  }

  @Override
  protected Catalog tableCatalog() {
    return catalog;
  }

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  @Override
  protected boolean supportsServerSideRetry() {
    return true;
  }
}
