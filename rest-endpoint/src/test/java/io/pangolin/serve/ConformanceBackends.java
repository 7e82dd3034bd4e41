package io.pangolin.serve;

import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestS3;
import java.util.Map;
import java.util.UUID;

/**
 * pangolin serve's real backends for Iceberg's conformance suites: one S3Proxy per test class, a fresh database per
 * test, and a principal holding every privilege on the catalog, whose REST client reaches table files through
 * remote signing.
 */
final class ConformanceBackends implements AutoCloseable {

  private final TestS3 s3;
  private ServeScene scene;
  private String principal;

  private ConformanceBackends(TestS3 s3) {
    this.s3 = s3;
  }

  static ConformanceBackends start() {
    return new ConformanceBackends(TestS3.start("conformance-" + UUID.randomUUID(), "secret-" + UUID.randomUUID()));
  }

  /** Backends over a fresh database for the next test. */
  Backends open() {
    scene = ServeScene.on(s3);
    principal = scene.principal("conformance", "READ", "WRITE", "CREATE", "DROP");
    return BackendsFactory.of(scene.url, scene.endpointPool(), scene.keys());
  }

  ServeScene scene() {
    return scene;
  }

  Map<String, String> clientProperties() {
    return scene.restClient(principal);
  }

  /** An s3:// location under the warehouse's root. */
  String location(String path) {
    return "s3://" + scene.bucket + "/warehouse/" + path;
  }

  /** Ends the test's database. */
  void endTest() {
    scene.close();
  }

  @Override
  public void close() {
    s3.close();
  }
}
