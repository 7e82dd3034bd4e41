package io.pangolin.serve;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.CatalogTests;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Iceberg's catalog conformance suite through Iceberg's own {@link RESTCatalog} against the endpoint over HTTP: the
 * client gets its token from the token route and reaches every table and namespace route. Subclasses give other
 * {@link Backends} (the database-backed ones) and the client properties that reach them.
 */
public class RestProtocolCatalogTest extends CatalogTests<RESTCatalog> implements EndpointUnderTest {

  @TempDir
  Path warehouse;

  private EndpointFixture endpoint;
  private RESTCatalog catalog;

  @BeforeEach
  void startEndpoint() throws Exception {
    endpoint = EndpointFixture.start(backends(warehouse));
    catalog = initCatalog("rest", Map.of());
  }

  @AfterEach
  void stopEndpoint() throws Exception {
    endpoint.close();
  }

  @Override
  protected RESTCatalog catalog() {
    return catalog;
  }

  @Override
  protected RESTCatalog initCatalog(String catalogName, Map<String, String> additionalProperties) {
    Map<String, String> properties = new HashMap<>(clientProperties());
    properties.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key1", "catalog-default-key1");
    properties.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "default-key2", "catalog-default-key2");
    properties.put(CatalogProperties.TABLE_DEFAULT_PREFIX + "override-key3", "catalog-default-key3");
    properties.put(CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key3", "catalog-override-key3");
    properties.put(CatalogProperties.TABLE_OVERRIDE_PREFIX + "override-key4", "catalog-override-key4");
    properties.putAll(additionalProperties);
    return endpoint.client(catalogName, properties);
  }

  static final String SLASH =
      "%2F in a path is refused by Jetty as an ambiguous separator, on purpose: no name may add a path segment";
  static final String EMPTY =
      "the REST path cannot name the empty namespace: an empty {namespace} segment matches no route";

  @Override
  @Test
  @Disabled(SLASH)
  public void testNamespaceWithSlash() {}

  @Override
  @Test
  @Disabled(SLASH)
  public void testTableNameWithSlash() {}

  @Override
  @Test
  @Disabled(EMPTY)
  public void listNamespacesWithEmptyNamespace() {}

  @Override
  @Test
  @Disabled(EMPTY)
  public void createAndDropEmptyNamespace() {}

  @Override
  @Test
  @Disabled(EMPTY)
  public void namespacePropertiesOnEmptyNamespace() {}

  @Override
  @Test
  @Disabled(EMPTY)
  public void listTablesInEmptyNamespace() {}

  /**
   * Unique locations are chosen by the catalog behind the server, from its own settings; this property reaches only
   * the client. The in-memory fake places a renamed table's successor where the old one was.
   */
  @Override
  @Test
  @Disabled("unique-table-location is a setting of the server's catalog, which the in-memory fake does not make")
  public void createTableInUniqueLocation() {}

  /** Iceberg's version moves the metadata file with java.nio; the fake's files live in InMemoryFileIO. */
  @Override
  @Test
  @Disabled("moves the metadata file with java.nio, and the in-memory fake's files are not on disk")
  public void testLoadTableWithMissingMetadataFile(Path unused) {}

  @Override
  protected boolean requiresNamespaceCreate() {
    return true;
  }

  @Override
  protected boolean supportsNestedNamespaces() {
    return true;
  }

  /** The server retries commits itself (CatalogHandlers.updateTable re-applies a commit to fresh metadata). */
  @Override
  protected boolean supportsServerSideRetry() {
    return true;
  }

  /** Jetty refuses %2F in a path as an ambiguous separator, on purpose: no name may smuggle a path segment. */
  @Override
  protected boolean supportsNamesWithSlashes() {
    return false;
  }
}
