package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/** The endpoint's class path holds Jetty 12 beside S3Proxy's relocated Jetty 11, and the plugin's test servers. */
class ModuleClassPathTest {

  @Test
  void jetty12RunsBesideS3ProxyAndPostgres() throws Exception {
    Server server = new Server(0);
    server.start();
    try (TestS3 s3 = TestS3.start("serve-key", "serve-secret")) {
      assertThat(server.getURI().getPort()).isPositive();
      assertThat(s3.endpoint()).startsWith("http://127.0.0.1:");
      assertThat(TestCatalogs.migratedDatabase()).startsWith("jdbc:postgresql:");
    } finally {
      server.stop();
    }
  }
}
