package io.pangolin.serve;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Iceberg's view conformance suite through Iceberg's own RESTCatalog, over HTTP, against pangolin serve's real
 * backends (a principal holding every privilege on the catalog, a fresh database per test), table files reached
 * through remote signing.
 */
class EndpointViewCatalogTest extends RestProtocolViewCatalogTest {

  private static ConformanceBackends backends;

  @BeforeAll
  static void startS3() {
    backends = ConformanceBackends.start();
  }

  @AfterAll
  static void stopS3() {
    backends.close();
  }

  @AfterEach
  void endTest() {
    backends.endTest();
  }

  @Override
  public Backends backends(Path warehouseDirectory) {
    return backends.open();
  }

  @Override
  public Map<String, String> clientProperties() {
    return backends.clientProperties();
  }

  @Override
  protected String viewLocation(String... paths) {
    return backends.location("views/" + String.join("/", paths));
  }
}
