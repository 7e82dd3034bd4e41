package io.pangolin.bench;

import io.pangolin.warehouse.PangolinS3ClientFactory;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The two real servers every contestant shares, started once per run: one embedded PostgreSQL (a database per
 * catalog on it) and one S3Proxy (a bucket per catalog), both on loopback, both from catalog-plugin's test
 * helpers so the benchmark runs against the same servers as the tests.
 */
public final class Servers implements AutoCloseable {

  static final String ACCESS_KEY = "bench-access-key";
  static final String SECRET_KEY = "bench-secret-key";

  private final TestS3 s3;

  private Servers(TestS3 s3) {
    this.s3 = s3;
  }

  public static Servers start() {
    TestPostgres.get();
    return new Servers(TestS3.start(ACCESS_KEY, SECRET_KEY));
  }

  public TestS3 s3() {
    return s3;
  }

  /** A new, empty database on the one server. */
  public String newDatabase() {
    return TestPostgres.get().newDatabase();
  }

  /** An uncounted connection for set-up and bulk loading, never used by a measured operation. */
  public static Connection admin(String url) throws SQLException {
    return TestCatalogs.dataSource(url).getConnection();
  }

  /**
   * S3FileIO settings for this server with static keys: what JdbcCatalog and the raw PUT use, and what Pangolin
   * derives for its warehouse (path-style addressing, checksums only where S3 requires them).
   */
  public Map<String, String> s3FileIoProperties() {
    Map<String, String> props = new HashMap<>();
    props.put("s3.endpoint", s3.endpoint());
    props.put("s3.path-style-access", "true");
    props.put("s3.access-key-id", s3.accessKey());
    props.put("s3.secret-access-key", s3.secretKey());
    props.put("client.region", "us-east-1");
    props.put("client.legacy-md5-plugin-enabled", "true");
    props.put("s3.client-factory-impl", PangolinS3ClientFactory.class.getName());
    return props;
  }

  /** Server version and the durability settings that decide what a commit costs on the server. */
  public String postgresDescription(String url) {
    try (Connection conn = admin(url); Statement stmt = conn.createStatement()) {
      return "PostgreSQL " + show(stmt, "server_version") + " (fsync=" + show(stmt, "fsync")
          + ", synchronous_commit=" + show(stmt, "synchronous_commit") + ")";
    } catch (SQLException e) {
      return "PostgreSQL, version unknown (" + e.getMessage() + ")";
    }
  }

  private static String show(Statement stmt, String setting) throws SQLException {
    try (ResultSet rs = stmt.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Override
  public void close() {
    // PostgreSQL is stopped by TestPostgres's shutdown hook when the JVM exits.
    s3.close();
  }
}
