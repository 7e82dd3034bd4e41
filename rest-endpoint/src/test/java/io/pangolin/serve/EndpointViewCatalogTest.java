package io.pangolin.serve;

import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestS3;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Iceberg's view conformance suite through Iceberg's own RESTCatalog, over HTTP, against pangolin serve's real
 * backends (a principal holding every privilege on the catalog, a fresh database per test), table files reached
 * through remote signing.
 */
class EndpointViewCatalogTest extends RestProtocolViewCatalogTest {

  private static TestS3 s3;
  private ServeScene scene;
  private String principal;

  @BeforeAll
  static void startS3() {
    s3 = TestS3.start("views-" + UUID.randomUUID(), "secret-" + UUID.randomUUID());
  }

  @AfterAll
  static void stopS3() {
    s3.close();
  }

  @AfterEach
  void closeScene() {
    scene.close();
  }

  @Override
  public Backends backends(Path warehouseDirectory) {
    scene = ServeScene.on(s3);
    principal = scene.principal("views", "READ", "WRITE", "CREATE", "DROP");
    return BackendsFactory.of(scene.url, scene.endpointPool(), scene.keys());
  }

  @Override
  public Map<String, String> clientProperties() {
    Map<String, String> props = new HashMap<>(scene.warehouseFileIo());
    props.put("credential", principal + ":" + scene.password);
    props.put("warehouse", ServeScene.TENANT + "/" + ServeScene.CATALOG);
    return props;
  }

  @Override
  protected String viewLocation(String... paths) {
    return "s3://" + scene.bucket + "/warehouse/views/" + String.join("/", paths);
  }
}
