package io.pangolin.testing;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most catalog tests start from, as a JUnit extension registered on a static field: an S3 server of the test
 * class's own (its own keys, so a test can tell which credentials were used), and per test a new migrated database
 * with tenant {@code acme}, warehouse {@code lake} on one bucket of that server and catalog {@code main}.
 */
public final class S3Lake implements BeforeAllCallback, AfterAllCallback {

  private final String accessKey;
  private final String secretKey;
  private final String bucket;
  private TestS3 s3;

  public S3Lake(String accessKey, String secretKey, String bucket) {
    this.accessKey = requireNonNull(accessKey, "accessKey");
    this.secretKey = requireNonNull(secretKey, "secretKey");
    this.bucket = requireNonNull(bucket, "bucket");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    s3 = TestS3.start(accessKey, secretKey);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    s3.close();
  }

  public TestS3 s3() {
    return s3;
  }

  /** A new migrated database holding tenant acme's catalog main on this server's bucket; its JDBC URL. */
  public String newCatalog() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, bucket, List.of());
    return url;
  }
}
