package io.pangolin.spark;

import io.pangolin.registry.StorageUpdate;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.warehouse.WarehouseSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A warehouse only pangolin serve can reach: tenant acme's warehouse lake on an S3Proxy whose random key only the
 * database holds (sealed with the test master key), catalog main on it (REST prefix acme_main), in a database of its
 * own, served by a {@link ServeProcess} logged in as a member of pangolin_endpoint. Principals are login roles with
 * passwords the server really checks, holding only the grants a test gives them. Engines reach it through
 * {@link #restCatalog}, or, once {@link #signThroughServe} switched the warehouse to remote signing, as Pangolin plugin
 * catalogs ({@link #pluginCatalog}) that sign through the same endpoint.
 */
public final class SigningScene implements AutoCloseable {

  public static final String TENANT = "acme";
  public static final String CATALOG = "main";
  public static final String WAREHOUSE = "lake";
  private static final String PREFIX = TENANT + "_" + CATALOG;
  /** The server checks the passwords of this group's members (it trusts other loopback logins). */
  private static final String PASSWORD_CHECKED = "spark_serve_password_checked";

  public final String url;
  public final TestS3 s3;
  public final String bucket;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final String password = "pw-" + UUID.randomUUID();
  private final List<String> roles = new ArrayList<>();
  private final ServeProcess serve;

  public SigningScene() {
    this.s3 = TestS3.start("SIGN" + suffix.toUpperCase(), "secret-" + UUID.randomUUID());
    this.url = TestCatalogs.migratedDatabase();
    this.bucket = "signed-" + suffix;
    TestPostgres.get().checkPasswordsOf(PASSWORD_CHECKED);
    TestCatalogs.s3Catalog(url, TENANT, WAREHOUSE, CATALOG, s3, bucket, List.of());
    String endpointLogin = login("serve", "pangolin_endpoint");
    this.serve = ServeProcess.start(url, endpointLogin, password, TestKeys.masterKeyFile());
  }

  /** A new principal (its name carries this scene's suffix: roles are cluster-wide). */
  public String principal(String name) {
    return login(name, "pangolin_principal");
  }

  /** Grants {@code privilege} on table {@code namespace.table} of catalog main to {@code principal}. */
  public void grantOnTable(String principal, String privilege, String namespace, String table) {
    superuser("""
        INSERT INTO pangolin.grants (catalog_id, namespace_id, relation_id, grantee, privilege)
        SELECT c.id, n.id, r.id, ?, ? FROM pangolin.catalogs c
          JOIN pangolin.namespaces n ON n.catalog_id = c.id AND n.levels = ARRAY[?::text]
          JOIN pangolin.relations r ON r.namespace_id = n.id AND r.name = ?
         WHERE c.jdbc_name = ?""", principal, privilege, namespace, table, PREFIX);
  }

  /** Grants {@code privilege} on the whole of catalog main to {@code principal}. */
  public void grantOnCatalog(String principal, String privilege) {
    superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, ?, ? FROM pangolin.catalogs"
        + " WHERE jdbc_name = ?", principal, privilege, PREFIX);
  }

  /**
   * Spark settings of catalog {@code sparkName}: Iceberg's own REST catalog on the endpoint, logged in as
   * {@code principal}, with Iceberg's S3FileIO and nothing else: no key, no store address. What the FileIO needs it is
   * told by the endpoint with each table (the store's address, remote signing).
   */
  public Map<String, String> restCatalog(String sparkName, String principal) {
    String prefix = "spark.sql.catalog." + sparkName;
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    conf.put(prefix + ".type", "rest");
    conf.put(prefix + ".uri", serve.apiUri());
    conf.put(prefix + ".credential", principal + ":" + password);
    conf.put(prefix + ".warehouse", TENANT + "/" + CATALOG);
    conf.put(prefix + ".io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    return conf;
  }

  /**
   * Switches warehouse lake to {@code storage-access=remote-signing} through this scene's endpoint: from then on the
   * plugin hands its engines no key, only a token for the endpoint's sign route.
   */
  public void signThroughServe() {
    TestCatalogs.tenants(url).updateStorage(TENANT, WAREHOUSE, new StorageUpdate(Map.of(
        WarehouseSettings.STORAGE_ACCESS, WarehouseSettings.STORAGE_ACCESS_REMOTE_SIGNING,
        WarehouseSettings.SIGNER_URI, serve.apiUri()), Set.of(), List.of(), List.of()));
  }

  /**
   * Spark settings of catalog {@code sparkName}: the Pangolin plugin on catalog main as {@code principal}, as
   * examples/spark/spark-defaults.conf configures it but with no master key, which an engine on a remote-signing
   * warehouse does not need.
   */
  public Map<String, String> pluginCatalog(String sparkName, String principal) {
    return pluginCatalog(sparkName, principal, password, null);
  }

  /** Spark settings of a Pangolin plugin catalog on catalog main as the database's superuser, to set data up. */
  public Map<String, String> superuserPluginCatalog(String sparkName) {
    return pluginCatalog(sparkName, TestPostgres.get().user(), TestPostgres.get().password(),
        TestKeys.masterKeyFile());
  }

  private Map<String, String> pluginCatalog(String sparkName, String user, String userPassword,
      String masterKeyFile) {
    Map<String, String> conf = SparkConfs.pangolinCatalog(sparkName, url, user, userPassword, TENANT, masterKeyFile);
    conf.put("spark.sql.catalog." + sparkName + ".pangolin.catalog", CATALOG);
    return conf;
  }

  private String login(String name, String group) {
    String role = name + "_" + suffix;
    superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE " + group + ", " + PASSWORD_CHECKED);
    roles.add(0, role);
    return role;
  }

  private void superuser(String sql, Object... args) {
    try (Connection c = DriverManager.getConnection(url, TestPostgres.get().user(), TestPostgres.get().password());
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.execute();
    } catch (SQLException e) {
      // Not the statement: a CREATE ROLE carries the scene's password.
      throw new IllegalStateException("Cannot set the signing scene up as the superuser", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    try {
      serve.close();
    } finally {
      roles.forEach(role -> superuser("DROP ROLE IF EXISTS " + role));
      s3.close();
    }
  }
}
