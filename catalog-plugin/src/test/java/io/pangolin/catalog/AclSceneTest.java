package io.pangolin.catalog;

import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestS3;
import java.sql.SQLException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** A fresh {@link AclScene} per test, on one S3 server per class. */
public abstract class AclSceneTest {

  protected static TestS3 s3;
  protected AclScene scene;

  @BeforeAll
  protected static void startS3() {
    s3 = TestS3.start("acl-key", "acl-secret");
  }

  @AfterAll
  protected static void stopS3() {
    s3.close();
  }

  @BeforeEach
  protected void createScene() throws SQLException {
    scene = new AclScene(s3);
  }

  @AfterEach
  protected void dropRoles() throws SQLException {
    scene.close();
  }
}
