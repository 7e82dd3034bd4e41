package io.pangolin.serve.testing;

import io.pangolin.metastore.pool.ConnectionPools;
import io.pangolin.metastore.pool.PoolLease;
import io.pangolin.metastore.pool.PoolSettings;
import io.pangolin.security.Keyring;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What every endpoint test runs against: a migrated database, an S3Proxy that checks signatures, tenant acme with
 * warehouse lake (S3Proxy's key) and catalog main (REST prefix acme_main), and logins made the way an operator makes
 * them: the endpoint's own login (a member of pangolin_endpoint) and principals with passwords.
 */
public final class ServeScene implements AutoCloseable {

  public static final String TENANT = "acme";
  public static final String CATALOG = "main";
  public static final String PREFIX = "acme_main";
  /** The server checks the passwords of this group's members (it trusts other loopback logins). */
  public static final String PASSWORD_CHECKED = "serve_password_checked";

  public final String url;
  public final TestS3 s3;
  public final String bucket;
  public final String password = "pw-" + UUID.randomUUID();
  public final String endpointLogin;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final PoolLease endpointPool;
  private final boolean ownsS3;

  private ServeScene(TestS3 s3, boolean ownsS3) {
    this.ownsS3 = ownsS3;
    this.s3 = s3;
    this.url = TestCatalogs.migratedDatabase();
    this.bucket = "lake-" + suffix;
    TestPostgres.get().checkPasswordsOf(PASSWORD_CHECKED);
    TestCatalogs.s3Catalog(url, TENANT, "lake", CATALOG, s3, bucket, List.of());
    this.endpointLogin = "serve_" + suffix;
    superuser("CREATE ROLE " + endpointLogin + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_endpoint, "
        + PASSWORD_CHECKED);
    this.endpointPool = ConnectionPools.lease(
        new PoolSettings(url, Map.of("user", endpointLogin, "password", password), 8, 0, 10_000, 60_000), null);
  }

  public static ServeScene start() {
    return new ServeScene(TestS3.start("serve-" + UUID.randomUUID(), "secret-" + UUID.randomUUID()), true);
  }

  /** A scene of its own database on an S3Proxy the caller keeps (a fresh catalog per test, one server). */
  public static ServeScene on(TestS3 s3) {
    return new ServeScene(s3, false);
  }

  /**
   * A REST client's properties for {@code principal} on catalog acme/main: its credential, and a FileIO that could
   * reach the warehouse with its own key, as a trusted engine would (the server's signing takes over where it
   * answers s3.remote-signing-enabled).
   */
  public Map<String, String> restClient(String principal) {
    Map<String, String> props = new java.util.HashMap<>(warehouseFileIo());
    props.put("credential", principal + ":" + password);
    props.put("warehouse", TENANT + "/" + CATALOG);
    return props;
  }

  /** The properties of an S3FileIO that reaches the warehouse with its own key, as a trusted engine would. */
  public Map<String, String> warehouseFileIo() {
    return Map.of("io-impl", "org.apache.iceberg.aws.s3.S3FileIO", "s3.endpoint", s3.endpoint(),
        "s3.path-style-access", "true", "client.region", "us-east-1", "s3.access-key-id", s3.accessKey(),
        "s3.secret-access-key", s3.secretKey());
  }

  /** A login principal with this scene's password, holding {@code privileges} on the whole catalog. */
  public String principal(String name, String... privileges) {
    String role = name + "_" + suffix;
    superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_principal, "
        + PASSWORD_CHECKED);
    for (String privilege : privileges) {
      superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, '" + role + "', '"
          + privilege + "' FROM pangolin.catalogs WHERE jdbc_name = '" + PREFIX + "'");
    }
    return role;
  }

  /** The endpoint's pool: connections of its own login, which acts for nobody until a token says whom. */
  public PoolLease endpointPool() {
    return endpointPool;
  }

  public Keyring keys() {
    return Keyring.master(Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
  }

  public void superuser(String sql) {
    try (Connection c = DriverManager.getConnection(url, TestPostgres.get().user(), TestPostgres.get().password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run as the superuser: " + sql, e);
    }
  }

  @Override
  public void close() {
    endpointPool.close();
    if (ownsS3) {
      s3.close();
    }
  }
}
