package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import io.pangolin.warehouse.CredentialType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Keys per tenant, on a real PostgreSQL and two S3Proxy servers (each accepts only its own tenant's access key):
 * tenants acme and globex start, as before V15, with their secrets sealed by the shared master key; each is given
 * a key of its own with 'pangolin key reseal', after which an engine needs only its tenant's key, another tenant's
 * key opens nothing of it, and the key rotates. No secret and no key ever shows in a message.
 */
class TenantKeysTest {

  private static final TableIdentifier ID = TableIdentifier.of("ns", "t");
  private static TestS3 acmeS3;
  private static TestS3 globexS3;

  private String url;
  private Map<String, String> env;
  private Path dir;
  private final StringBuilder allOutput = new StringBuilder();

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    acmeS3 = TestS3.start("acme-access-key", "acme-secret-value");
    globexS3 = TestS3.start("globex-access-key", "globex-secret-value");
  }

  @AfterAll
  static void stop() {
    acmeS3.close();
    globexS3.close();
  }

  @BeforeEach
  void setUp() throws Exception {
    url = TestCatalogs.migratedDatabase();
    env = TestCatalogs.adminEnvironment(url);
    dir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tenant-keys-");
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", acmeS3, "acme-" + dir.getFileName(), List.of());
    TestCatalogs.s3Catalog(url, "globex", "lake", "main", globexS3, "globex-" + dir.getFileName(), List.of());
  }

  private Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    allOutput.append(run.out()).append(run.err());
    return run;
  }

  private String newKeyFile(String name) throws Exception {
    Path file = dir.resolve(name);
    assertThat(cli("key", "generate", "--out", file.toString()).exit()).isZero();
    return file.toString();
  }

  private static String fingerprint(String keyFile) throws Exception {
    return SecretCipher.fromBase64(Files.readString(Path.of(keyFile))).keyId();
  }

  /** An engine's catalog of {@code tenant} holding only the key in {@code tenantKeyFile}: no master key. */
  private PangolinCatalog engine(String tenant, String tenantKeyFile) {
    Map<String, String> props = TestCatalogs.properties(url, tenant, "main");
    props.remove("pangolin.master-key-file");
    props.put("pangolin.master-key-env", "PANGOLIN_TEST_NO_SUCH_VARIABLE");
    props.put("pangolin.tenant-key-env", "PANGOLIN_TEST_NO_SUCH_VARIABLE");
    props.put("pangolin.tenant-key-file", tenantKeyFile);
    PangolinCatalog c = new PangolinCatalog();
    c.initialize("main", props);
    return c;
  }

  private static void appendTo(PangolinCatalog c) {
    if (!c.namespaceExists(Namespace.of("ns"))) {
      c.createNamespace(Namespace.of("ns"));
    }
    Table table = c.tableExists(ID) ? c.loadTable(ID) : c.createTable(ID, TestTables.SCHEMA);
    table.newAppend().appendFile(TestTables.dataFile(table, "f-" + System.nanoTime())).commit();
  }

  private TenantRegistry registry(Keyring keys) {
    return new TenantRegistry(Database.of(TestCatalogs.dataSource(url)), keys);
  }

  private static Keyring only(String keyFile) throws Exception {
    return Keyring.tenantKey(SecretCipher.fromBase64(Files.readString(Path.of(keyFile))));
  }

  private void assertNoSecretIn(String text) throws Exception {
    assertThat(text).doesNotContain(acmeS3.secretKey(), globexS3.secretKey(), TestKeys.MASTER_KEY);
    for (Path key : Files.list(dir).filter(p -> p.toString().endsWith(".key")).toList()) {
      assertThat(text).doesNotContain(Files.readString(key).strip());
    }
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void resealFromTheMasterKeyThenEachEngineNeedsOnlyItsTenantsKey() throws Exception {
    try (PangolinCatalog legacy = new PangolinCatalog()) {
      legacy.initialize("main", TestCatalogs.properties(url, "acme", "main"));
      appendTo(legacy);
    }
    assertThat(cli("key", "status").out()).contains("acme\tshared master key: needs re-seal");
    String acmeKey = newKeyFile("acme.key");
    String globexKey = newKeyFile("globex.key");

    Run acme = cli("key", "reseal", "--tenant", "acme", "--to-key-file", acmeKey);
    assertThat(acme.exit()).as(acme.err()).isZero();
    assertThat(acme.out()).contains("Re-sealed the secrets of 1 warehouse(s) of tenant acme", fingerprint(acmeKey));
    assertThat(cli("key", "reseal", "--tenant", "globex", "--from-key-file", TestKeys.masterKeyFile(),
        "--to-key-file", globexKey).exit()).isZero();
    assertThat(cli("key", "status").out()).contains("acme\tkey=" + fingerprint(acmeKey),
        "globex\tkey=" + fingerprint(globexKey));

    // acme's engine works with acme's key alone, on the table written before the re-seal.
    try (PangolinCatalog c = engine("acme", acmeKey)) {
      appendTo(c);
      assertThat(TestTables.currentFiles(c.loadTable(ID))).hasSize(2);
    }
    try (PangolinCatalog c = engine("globex", globexKey)) {
      appendTo(c);
    }

    // globex's sealed secret does not open with acme's key: the fingerprints are compared before any decryption.
    Throwable wrong = catchThrowable(() -> registry(only(acmeKey)).warehouse("globex", "lake").secretAccessKey()
        .reveal());
    assertThat(wrong).hasMessageContainingAll("tenant 'globex'", "key fingerprint mismatch", fingerprint(globexKey),
        fingerprint(acmeKey), "pangolin.tenant-key-file");
    assertNoSecretIn(stackTrace(wrong));
    // Nor through an engine of globex given acme's key.
    try (PangolinCatalog c = engine("globex", acmeKey)) {
      Throwable viaEngine = catchThrowable(() -> appendTo(c));
      assertThat(stackTrace(viaEngine)).contains("tenant 'globex'", "key fingerprint mismatch");
      assertNoSecretIn(stackTrace(viaEngine));
    }
    // The old master key no longer opens acme's secrets (they are re-sealed), nor may it seal new ones.
    Throwable old = catchThrowable(() -> registry(Keyring.master(Optional.of(SecretCipher.fromBase64(
        TestKeys.MASTER_KEY)))).warehouse("acme", "lake").secretAccessKey().reveal());
    assertThat(old).hasMessageContainingAll("tenant 'acme'", "key fingerprint mismatch");
    Throwable oldSeal = catchThrowable(() -> registry(Keyring.master(Optional.of(SecretCipher.fromBase64(
        TestKeys.MASTER_KEY)))).setCredentials("acme", "lake", CredentialType.STATIC, acmeS3.accessKey(),
        Secret.of(acmeS3.secretKey())));
    assertThat(oldSeal).hasMessageContainingAll("tenant 'acme'", "key fingerprint mismatch");
    // The database refuses a value sealed with another key even when written around Pangolin.
    String masterSealed = new io.pangolin.security.Sealer(Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)))
        .seal("acme/lake", "test", Secret.of("whatever-secret"));
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement s = conn.createStatement()) {
      Throwable raw = catchThrowable(() -> s.execute("UPDATE pangolin.warehouses SET secret_access_key = '"
          + masterSealed + "' WHERE name = 'lake' AND tenant_id = (SELECT id FROM pangolin.tenants WHERE name = 'acme')"));
      assertThat(raw).hasMessageContaining("sealed with another key than tenant acme's");
    }
    assertNoSecretIn(allOutput.toString());
  }

  @Test
  void rotationReplacesTheTenantKey() throws Exception {
    String first = newKeyFile("first.key");
    String second = newKeyFile("second.key");
    assertThat(cli("key", "reseal", "--tenant", "acme", "--to-key-file", first).exit()).isZero();

    Run wrongFrom = cli("key", "rotate", "--tenant", "acme", "--from-key-file", TestKeys.masterKeyFile(),
        "--to-key-file", second);
    assertThat(wrongFrom.exit()).isNotZero();
    assertThat(wrongFrom.err()).contains("tenant 'acme'", "key fingerprint mismatch", fingerprint(first));

    Run rotated = cli("key", "rotate", "--tenant", "acme", "--from-key-file", first, "--to-key-file", second);
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    try (PangolinCatalog c = engine("acme", second)) {
      appendTo(c);
    }
    try (PangolinCatalog c = engine("acme", first)) {
      assertThat(stackTrace(catchThrowable(() -> appendTo(c)))).contains("key fingerprint mismatch",
          fingerprint(second));
    }
    // A setting sealed under the first key was re-sealed too: updating the warehouse with the new key works.
    assertThat(registry(only(second)).warehouse("acme", "lake").secretAccessKey().reveal())
        .isEqualTo(acmeS3.secretKey());
    assertNoSecretIn(allOutput.toString());
  }

  @Test
  void aTenantCannotTakeAnotherTenantsJdbcName() throws Exception {
    Run squat = cli("catalog", "create", "--tenant", "acme", "squat", "--warehouse", "lake", "--jdbc-name",
        "globex_future");
    assertThat(squat.exit()).isNotZero();
    assertThat(squat.err()).contains("catalog 'squat'", "globex_future", "not one of tenant acme's names",
        "starts with acme_");
    Run free = cli("catalog", "create", "--tenant", "acme", "other", "--warehouse", "lake", "--jdbc-name", "sales");
    assertThat(free.exit()).isNotZero();
    assertThat(free.err()).contains("not one of tenant acme's names");

    // A name among acme's now, which a tenant acme_x would have as its default: that tenant cannot be created.
    assertThat(cli("catalog", "create", "--tenant", "acme", "x_main", "--warehouse", "lake").exit()).isZero();
    Run tenant = cli("tenant", "create", "acme_x");
    assertThat(tenant.exit()).isNotZero();
    assertThat(tenant.err()).contains("Cannot name a tenant acme_x", "acme_x_main");
    // Once tenant acme_y exists, acme cannot take a name among its defaults.
    assertThat(cli("tenant", "create", "acme_y").exit()).isZero();
    Run longer = cli("catalog", "create", "--tenant", "acme", "y_main", "--warehouse", "lake");
    assertThat(longer.exit()).isNotZero();
    assertThat(longer.err()).contains("acme_y_main", "not one of tenant acme's names");

    // Around the definer functions too: the trigger refuses a raw write of a squatting name.
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement s = conn.createStatement()) {
      Throwable raw = catchThrowable(() -> s.execute(
          "UPDATE pangolin.catalogs SET jdbc_name = 'globex_main2' WHERE jdbc_name = 'acme_main'"));
      assertThat(raw).hasMessageContaining("is not one of tenant acme's names");
    }
  }

  @Test
  void v15RefusesExistingSquatsAndKeepsOtherNames() throws Exception {
    String old = TestCatalogs.databaseAtVersion("12");
    try (Connection conn = TestCatalogs.dataSource(old).getConnection(); Statement s = conn.createStatement()) {
      s.execute("""
          INSERT INTO pangolin.tenants (name) VALUES ('acme'), ('globex');
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type)
            SELECT id, 'lake', 's3://b/w', 'engine-identity' FROM pangolin.tenants;
          INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
            SELECT tenant_id, 'main', id, 'globex_main' FROM pangolin.warehouses
            WHERE tenant_id = (SELECT id FROM pangolin.tenants WHERE name = 'acme');
          INSERT INTO pangolin.catalogs (tenant_id, name, warehouse_id, jdbc_name)
            SELECT tenant_id, 'free', id, 'sales_eu' FROM pangolin.warehouses
            WHERE tenant_id = (SELECT id FROM pangolin.tenants WHERE name = 'acme');
          """);
    }
    assertThat(catchThrowable(() -> new SchemaMigrator(TestCatalogs.dataSource(old)).migrate()))
        .hasStackTraceContaining("Cannot migrate: catalogs acme/main (jdbc_name globex_main) hold a JDBC-catalog name"
            + " that is another tenant's");
    try (Connection conn = TestCatalogs.dataSource(old).getConnection(); Statement s = conn.createStatement()) {
      s.execute("UPDATE pangolin.catalogs SET jdbc_name = 'acme_main' WHERE jdbc_name = 'globex_main'");
    }
    assertThat(new SchemaMigrator(TestCatalogs.dataSource(old)).migrate()).isEqualTo(SchemaMigrator.LATEST_VERSION);
    url = old;
    env = TestCatalogs.adminEnvironment(old);
    assertThat(cli("catalog", "list", "--tenant", "acme").out()).contains("free\twarehouse=lake\tjdbc-name=sales_eu");
    Run sales = cli("tenant", "create", "sales");
    assertThat(sales.exit()).isNotZero();
    assertThat(sales.err()).contains("Cannot name a tenant sales", "sales_eu");
    // The kept name stays as long as it does not change; the catalog's other columns still change.
    try (Connection conn = TestCatalogs.dataSource(old).getConnection(); Statement s = conn.createStatement()) {
      s.execute("UPDATE pangolin.catalogs SET properties = '{\"k\": \"v\"}' WHERE jdbc_name = 'sales_eu'");
      assertThat(catchThrowable(() -> s.execute(
          "UPDATE pangolin.catalogs SET jdbc_name = 'sales_us' WHERE jdbc_name = 'sales_eu'")))
          .hasMessageContaining("is not one of tenant acme's names");
    }
  }
}
