package io.pangolin.distribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.distribution.Installation.Run;
import io.pangolin.metastore.access.AuditEntry;
import io.pangolin.metastore.access.AuditQuery;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.PrincipalInfo;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * examples/admin/setup.sh run with bash as it stands, with the distribution's bin/ on PATH as its header says, as
 * the database's superuser against a real PostgreSQL and an S3 server that checks signatures: the tenant
 * administrator and the engine principal it creates, the warehouse and catalog the administrator makes, the engine's
 * grants, and an engine that then creates and commits a table under its own login.
 */
class SetupScriptIT {

  private static final String ACCESS_KEY = "AKIASETUPSCRIPT";
  private static final String S3_SECRET = "setup-script-s3-secret";
  private static final String ADMIN_PASSWORD = "setup-admin-pw-" + UUID.randomUUID();
  private static final String ENGINE_PASSWORD = "setup-engine-pw-" + UUID.randomUUID();
  private static final String CHECKED = "setup_script_checked";

  @Test
  void theScriptMakesAnAdministratorAndAnEngineThatCommitsAsItself() throws Exception {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    String tenantAdmin = "setup_admin_" + suffix;
    String engine = "setup_etl_" + suffix;
    String url = TestPostgres.get().newDatabase();
    PangolinAdmin superuser = PangolinAdmin.connect(url, TestPostgres.get().user(),
        Secret.of(TestPostgres.get().password()), Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
    try (TestS3 s3 = TestS3.start(ACCESS_KEY, S3_SECRET)) {
      s3.createBucket("lake-bucket");
      Map<String, String> env = Installation.baseEnvironment();
      env.putAll(TestCatalogs.adminEnvironment(url));
      env.put("PATH", Installation.home().resolve("bin") + ":" + System.getenv("PATH"));
      env.putAll(Map.of("PANGOLIN_ADMIN_USER", tenantAdmin, "PANGOLIN_ADMIN_PASSWORD", ADMIN_PASSWORD,
          "PANGOLIN_ENGINE_USER", engine, "PANGOLIN_ENGINE_PASSWORD", ENGINE_PASSWORD,
          "LAKE_ACCESS_KEY_ID", ACCESS_KEY, "LAKE_SECRET_ACCESS_KEY", S3_SECRET, "LAKE_S3_ENDPOINT", s3.endpoint()));
      try {
        String output = runScript(env);
        assertThat(output).contains("Created tenant demo", "Created principal " + tenantAdmin + " with a password",
                "Created principal " + engine + " with a password",
                "Named " + tenantAdmin + " administrator of tenant demo", "Created warehouse demo/lake",
                "Warehouse demo/lake works.", "Created catalog demo/lake", "endpoint=" + s3.endpoint(),
                "secret access key: ***")
            .doesNotContain(ADMIN_PASSWORD, ENGINE_PASSWORD, S3_SECRET);

        PrincipalInfo admin = principal(superuser, tenantAdmin);
        assertThat(admin.login()).isTrue();
        assertThat(admin.tenantAdminOf()).containsExactly("demo");
        assertThat(principal(superuser, engine).tenantAdminOf()).isEmpty();
        assertThat(superuser.grantsOf(engine)).extracting(g -> g.privilege() + " " + g.on() + " by " + g.grantedBy())
            .containsExactlyInAnyOrder("READ catalog demo/lake by " + tenantAdmin,
                "WRITE catalog demo/lake by " + tenantAdmin, "CREATE catalog demo/lake by " + tenantAdmin,
                "DROP catalog demo/lake by " + tenantAdmin);
        List<String> setUp = described(superuser.audit(AuditQuery.ofTenant("demo")));
        assertThat(setUp).as("the warehouse, catalog and grants are the tenant administrator's work")
            .contains("warehouses INSERT lake by " + tenantAdmin, "catalogs INSERT lake by " + tenantAdmin)
            .filteredOn(row -> row.startsWith("grants ")).hasSize(4).allMatch(row -> row.endsWith(" by " + tenantAdmin));

        passwordsAreChecked(url, tenantAdmin, engine);
        engineCreatesAndCommits(url, engine);
        List<String> afterEngine = described(superuser.audit(AuditQuery.ofTenant("demo")));
        assertThat(afterEngine.subList(0, afterEngine.size() - setUp.size()))
            .as("every change after the set-up is the engine's, made under its own login")
            .containsExactly("relations COMMIT etl.orders by " + engine, "relations INSERT etl.orders by " + engine,
                "namespaces INSERT etl by " + engine);

        PangolinAdmin asEngine = PangolinAdmin.connect(url, engine, Secret.of(ENGINE_PASSWORD), Optional.empty());
        assertThatThrownBy(() -> asEngine.grant(engine, Privilege.MANAGE_GRANTS,
            ObjectRef.catalog("demo", "lake")))
            .as("the engine holds no tenant administrator's rights").hasMessageContaining(engine);
      } finally {
        dropIfPresent(superuser, engine);
        dropIfPresent(superuser, tenantAdmin);
      }
    }
  }

  private static String runScript(Map<String, String> env) throws Exception {
    Path script = Path.of(System.getProperty("pangolin.repo", ".."), "examples", "admin", "setup.sh");
    Path dir = Files.createDirectories(Path.of("target", "setup-script").toAbsolutePath());
    Run run = Installation.run(List.of("bash", script.toAbsolutePath().toString()), dir, env);
    assertThat(run.exit()).as(run.output()).isZero();
    return run.output();
  }

  /** The server's loopback rules trust every login; make it check these two, then prove the passwords work. */
  private static void passwordsAreChecked(String url, String tenantAdmin, String engine) throws Exception {
    TestPostgres.get().checkPasswordsOf(CHECKED);
    try (Connection c = DriverManager.getConnection(url, TestPostgres.get().user(), TestPostgres.get().password());
        Statement s = c.createStatement()) {
      s.execute("GRANT " + CHECKED + " TO " + tenantAdmin + ", " + engine);
    }
    assertThatThrownBy(() -> DriverManager.getConnection(url, engine, "wrong").close())
        .hasMessageContaining("password authentication failed");
    DriverManager.getConnection(url, engine, ENGINE_PASSWORD).close();
    DriverManager.getConnection(url, tenantAdmin, ADMIN_PASSWORD).close();
  }

  private static void engineCreatesAndCommits(String url, String engine) {
    Map<String, String> props = TestCatalogs.properties(url, "demo", "lake");
    props.put("jdbc.user", engine);
    props.put("jdbc.password", ENGINE_PASSWORD);
    try (PangolinCatalog catalog = new PangolinCatalog()) {
      catalog.initialize("lake", props);
      catalog.createNamespace(Namespace.of("etl"));
      Table orders = catalog.createTable(TableIdentifier.of("etl", "orders"), TestTables.SCHEMA);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "first")).commit();
      assertThat(catalog.loadTable(TableIdentifier.of("etl", "orders")).currentSnapshot()).isNotNull();
    }
  }

  private static PrincipalInfo principal(PangolinAdmin admin, String name) {
    return admin.listPrincipals().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  /** Newest first, as "kind ACTION name by principal". */
  private static List<String> described(List<AuditEntry> rows) {
    return rows.stream().map(r -> r.objectKind() + " " + r.action() + " " + r.objectName() + " by " + r.principal())
        .toList();
  }

  private static void dropIfPresent(PangolinAdmin admin, String role) {
    if (admin.listPrincipals().stream().anyMatch(p -> p.name().equals(role))) {
      admin.dropPrincipal(role);
    }
  }
}
