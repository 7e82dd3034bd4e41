package io.pangolin.testing;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.PangolinConfig;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/** Sets up a database with a tenant, a warehouse and a catalog the way an operator would. */
public final class TestCatalogs {

  private TestCatalogs() {}

  /** A new, migrated database. */
  public static String migratedDatabase() {
    String url = TestPostgres.get().newDatabase();
    new SchemaMigrator(dataSource(url)).migrate();
    return url;
  }

  /** A new database migrated only up to {@code version}, as an older Pangolin left it. */
  public static String databaseAtVersion(String version) {
    String url = TestPostgres.get().newDatabase();
    Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(dataSource(url))
        .schemas(SchemaMigrator.SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/pangolin")
        .table("schema_history")
        .target(version)
        .load()
        .migrate();
    return url;
  }

  public static PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(TestPostgres.get().user());
    ds.setPassword(TestPostgres.get().password());
    return ds;
  }

  public static TenantRegistry tenants(String url) {
    return new TenantRegistry(Database.of(dataSource(url)), Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
  }

  /** Settings for an S3Proxy-backed warehouse. */
  public static Map<String, String> s3Settings(TestS3 s3) {
    return Map.of("endpoint", s3.endpoint(), "path-style-access", "true", "checksum-mode", "when-required");
  }

  /** Creates tenant (if new), an S3 warehouse on bucket {@code bucket} of {@code s3}, and a catalog on it. */
  public static void s3Catalog(String url, String tenant, String warehouse, String catalog, TestS3 s3, String bucket,
      List<String> allowedLocations) {
    TenantRegistry tenants = tenants(url);
    try {
      tenants.createTenant(tenant);
    } catch (io.pangolin.metastore.ObjectExistsException ignored) {
      // Shared by several catalogs of one test.
    }
    s3.createBucket(bucket);
    tenants.createWarehouse(new TenantRegistry.NewWarehouse(tenant, warehouse, "s3://" + bucket + "/warehouse",
        allowedLocations, s3Settings(s3), CredentialType.STATIC, s3.accessKey(), Secret.of(s3.secretKey())));
    tenants.createCatalog(tenant, catalog, warehouse, null, Map.of());
  }

  /**
   * As {@link #s3Catalog} on a database of an old schema version (V1-V11), whose rows the plugin of that time
   * wrote directly: plain inserts as the superuser, the secret sealed as the registry seals it.
   */
  public static void legacyS3Catalog(String url, String tenant, String warehouse, String catalog, TestS3 s3,
      String bucket) throws java.sql.SQLException {
    s3.createBucket(bucket);
    String sealed = new io.pangolin.security.Sealer(Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)))
        .seal(tenant + "/" + warehouse, "the secret of warehouse '" + tenant + "/" + warehouse + "'",
            Secret.of(s3.secretKey()));
    try (java.sql.Connection c = dataSource(url).getConnection();
        java.sql.PreparedStatement s = c.prepareStatement("""
            WITH t AS (INSERT INTO pangolin.tenants (name) VALUES (?) RETURNING id),
            w AS (INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, settings, credential_type,
                                                   access_key_id, secret_access_key)
                  SELECT t.id, ?, ?, jsonb_build_object('endpoint', ?, 'path-style-access', 'true',
                                                        'checksum-mode', 'when-required'), 'static', ?, ?
                  FROM t RETURNING id, tenant_id)
            INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
            SELECT w.tenant_id, ?, w.id, ? FROM w
            """)) {
      s.setString(1, tenant);
      s.setString(2, warehouse);
      s.setString(3, "s3://" + bucket + "/warehouse");
      s.setString(4, s3.endpoint());
      s.setString(5, s3.accessKey());
      s.setString(6, sealed);
      s.setString(7, catalog);
      s.setString(8, tenant + "_" + catalog);
      s.execute();
    }
  }

  /**
   * Lets warehouses keep {@code file:} roots under {@code prefix}, as the platform operator does with
   * 'pangolin platform set-file-root': without it no new {@code file:} warehouse location is allowed.
   */
  public static void allowFileRoot(String url, String prefix) {
    tenants(url).setFileRoot(prefix);
  }

  /** The catalog properties an engine would pass. */
  public static Map<String, String> properties(String url, String tenant, String catalog) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", url);
    props.put("jdbc.user", TestPostgres.get().user());
    props.put("jdbc.password", TestPostgres.get().password());
    props.put("pangolin.tenant", tenant);
    props.put("pangolin.catalog", catalog);
    props.put("pangolin.master-key-file", TestKeys.masterKeyFile());
    return props;
  }

  /** Catalog {@code catalog} of {@code tenant} as an engine opens it on {@code ref} (main, a branch or a tag). */
  public static PangolinCatalog open(String url, String tenant, String catalog, String ref) {
    Map<String, String> props = properties(url, tenant, catalog);
    props.put(PangolinConfig.REF, ref);
    PangolinCatalog opened = new PangolinCatalog();
    opened.initialize(catalog, props);
    return opened;
  }

  /** The environment the admin command line reads: the database login and the master key. */
  public static Map<String, String> adminEnvironment(String url) {
    Map<String, String> env = new HashMap<>();
    env.put("PANGOLIN_DB_URI", url);
    env.put("PANGOLIN_DB_USER", TestPostgres.get().user());
    env.put("PANGOLIN_DB_PASSWORD", TestPostgres.get().password());
    env.put("PANGOLIN_MASTER_KEY", TestKeys.MASTER_KEY);
    return env;
  }
}
