package io.pangolin.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The embedded default: a real PostgreSQL and a real S3-compatible server (S3Proxy on the local file system),
 * both keeping their data in the quickstart's state folder so that a second run finds the first run's tables.
 */
final class LocalServices implements AutoCloseable {

  static final String BUCKET = "warehouse";

  private final EmbeddedPostgres postgres;
  private final S3Proxy s3;
  private final BlobStoreContext blobs;

  private LocalServices(EmbeddedPostgres postgres, S3Proxy s3, BlobStoreContext blobs) {
    this.postgres = postgres;
    this.s3 = s3;
    this.blobs = blobs;
  }

  static LocalServices start(Path state, String accessKey, String secretKey) throws Exception {
    Path pgData = state.resolve("postgres");
    EmbeddedPostgres postgres = EmbeddedPostgres.builder()
        .setOverrideWorkingDirectory(Files.createDirectories(state.resolve("postgres-runtime")).toFile())
        .setDataDirectory(pgData.toFile())
        .setCleanDataDirectory(false)
        .start();

    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", Files.createDirectories(state.resolve("s3")).toString());
    BlobStoreContext blobs = ContextBuilder.newBuilder("filesystem")
        .credentials("local", "local").overrides(props).build(BlobStoreContext.class);
    blobs.getBlobStore().createContainerInLocation(null, BUCKET);
    S3Proxy s3 = S3Proxy.builder()
        .blobStore(blobs.getBlobStore())
        .endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
        .build();
    s3.start();
    while (!"STARTED".equals(s3.getState())) {
      Thread.sleep(10);
    }
    return new LocalServices(postgres, s3, blobs);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  String s3Endpoint() {
    return "http://127.0.0.1:" + s3.getPort();
  }

  /** The size of an object as the S3 server's own storage has it, or -1 when it is not there. */
  long objectSize(String key) {
    var blob = blobs.getBlobStore().blobMetadata(BUCKET, key);
    return blob == null ? -1 : blob.getSize();
  }

  @Override
  public void close() throws IOException {
    try {
      s3.stop();
    } catch (Exception e) {
      throw new IOException("Cannot stop the S3 server", e);
    } finally {
      blobs.close();
      postgres.close();
    }
  }
}
