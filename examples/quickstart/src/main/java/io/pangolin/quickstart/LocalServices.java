package io.pangolin.quickstart;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * The embedded default: a real PostgreSQL and a real S3-compatible server (S3Proxy on the local file system),
 * both keeping their data in the quickstart's state folder so that a second run finds the first run's tables.
 * The embedded PostgreSQL is made trusting every local login; this one checks the password (SCRAM) of every login
 * but the superuser's, so the quickstart's principals prove their passwords as they would on a real server.
 */
final class LocalServices implements AutoCloseable {

  static final String BUCKET = "warehouse";
  static final String SUPERUSER = "postgres";
  /** The embedded library checks that the server is up by logging in as the superuser without a password. */
  private static final String HBA = """
      # Written by the Pangolin quickstart: the superuser is trusted on loopback, every other login proves its
      # password (SCRAM).
      host all postgres 127.0.0.1/32 trust
      host all postgres ::1/128 trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

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
    checkPasswords(postgres);

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

  /** Makes the server check the passwords of every login but the superuser's from the next login on. */
  private static void checkPasswords(EmbeddedPostgres postgres) throws SQLException, IOException {
    try (Connection conn = DriverManager.getConnection(urlOf(postgres), SUPERUSER, SUPERUSER);
        Statement stmt = conn.createStatement()) {
      Path hba;
      try (ResultSet rs = stmt.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = Path.of(rs.getString(1));
      }
      if (!Files.readString(hba).equals(HBA)) {
        Files.writeString(hba, HBA);
        stmt.execute("SELECT pg_reload_conf()");
      }
    }
  }

  String jdbcUrl() {
    return urlOf(postgres);
  }

  private static String urlOf(EmbeddedPostgres postgres) {
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
