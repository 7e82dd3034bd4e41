package io.pangolin.testing;

import java.net.URI;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3-protocol server (S3Proxy over in-memory storage) that checks request signatures against one
 * access key and secret, so a test can prove which credentials a client used.
 */
public final class TestS3 implements AutoCloseable {

  private final S3Proxy proxy;
  private final BlobStoreContext context;
  private final String accessKey;
  private final String secretKey;

  private TestS3(S3Proxy proxy, BlobStoreContext context, String accessKey, String secretKey) {
    this.proxy = proxy;
    this.context = context;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
  }

  public static TestS3 start(String accessKey, String secretKey) {
    return start(accessKey, secretKey, false);
  }

  /**
   * As {@link #start(String, String)}; with {@code ignoreUnknownHeaders} the server answers requests that carry
   * S3 headers it does not implement instead of refusing them with 501. Trino's S3 file system needs that: it
   * sends x-amz-optional-object-attributes with every listing.
   */
  public static TestS3 start(String accessKey, String secretKey, boolean ignoreUnknownHeaders) {
    BlobStoreContext context = ContextBuilder.newBuilder("transient")
        .credentials("unused", "unused")
        .overrides(new Properties())
        .build(BlobStoreContext.class);
    S3Proxy proxy = S3Proxy.builder()
        .blobStore(context.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .ignoreUnknownHeaders(ignoreUnknownHeaders)
        .build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + 10_000;
      while (!proxy.getState().equals("STARTED")) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("S3Proxy did not start");
        }
        Thread.sleep(10);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start S3Proxy", e);
    }
    return new TestS3(proxy, context, accessKey, secretKey);
  }

  public String endpoint() {
    return "http://127.0.0.1:" + proxy.getPort();
  }

  public String accessKey() {
    return accessKey;
  }

  public String secretKey() {
    return secretKey;
  }

  public void createBucket(String bucket) {
    context.getBlobStore().createContainerInLocation(null, bucket);
  }

  /** A client of its own, independent of any FileIO, for checking what is really in a bucket. */
  public S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** Keys of all objects under a prefix. */
  public List<String> keys(String bucket, String prefix) {
    try (S3Client s3 = client()) {
      return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
          .map(S3Object::key).toList();
    }
  }

  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // Stopping a test server.
    }
    context.close();
  }
}
