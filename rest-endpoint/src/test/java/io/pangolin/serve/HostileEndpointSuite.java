package io.pangolin.serve;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One {@link HostileEndpointScene} per test class (its attacks change only what each test makes for itself), and
 * after every test the check that no log line names globex or holds a secret.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileEndpointSuite {

  HostileEndpointScene s;

  @BeforeAll
  void startScene() throws Exception {
    s = new HostileEndpointScene();
  }

  @AfterAll
  void stopScene() throws Exception {
    s.close();
  }

  @AfterEach
  void logsHoldNoGlobexNameAndNoSecret() {
    s.assertLogsClean();
  }
}
