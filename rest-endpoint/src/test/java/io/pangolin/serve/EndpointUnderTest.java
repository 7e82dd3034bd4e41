package io.pangolin.serve;

import io.pangolin.serve.fakes.InMemoryBackends;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the REST conformance tests run against: the in-memory fakes by default. A subclass of those tests overrides
 * both methods to run the same suites against the database-backed {@link Backends}.
 */
interface EndpointUnderTest {

  default Backends backends(Path warehouseDirectory) {
    return new InMemoryBackends(warehouseDirectory.toString());
  }

  /** The REST client's properties that reach the backends' warehouse as a permitted client. */
  default Map<String, String> clientProperties() {
    return InMemoryBackends.clientProperties();
  }
}
