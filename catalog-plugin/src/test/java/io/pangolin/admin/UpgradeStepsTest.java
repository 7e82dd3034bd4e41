package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.JdbcLayoutClients;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

/**
 * The upgrade steps of README "Security model", run through the command line on a database made by schema version 3
 * with a tenant, a table and an engine login that predate access control.
 */
class UpgradeStepsTest {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");

  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String password = "pw-" + UUID.randomUUID();
  private final List<String> roles = new ArrayList<>();
  private String url;

  private String role(String name) {
    String role = name + "_" + suffix;
    roles.add(0, role);
    return role;
  }

  private String cli(String user, String userPassword, String... args) {
    Map<String, String> env = TestCatalogs.adminEnvironment(url);
    if (user != null) {
      env.put("PANGOLIN_DB_USER", user);
      env.put("PANGOLIN_DB_PASSWORD", userPassword);
    }
    env.put("NEW_PASSWORD", password);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    assertThat(exit).as(String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8)).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  private PangolinCatalog open(String user) {
    Map<String, String> props = TestCatalogs.properties(url, "acme", "main");
    props.put("jdbc.user", user);
    props.put("jdbc.password", password);
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", props);
    return catalog;
  }

  private void superuser(String sql) throws Exception {
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void anExistingTenantIsUsableByItsNamedAdministratorAndByEnginesGrantedThroughTheCli() throws Exception {
    url = TestCatalogs.databaseAtVersion("3");
    String legacy = role("legacy_engine");
    try (TestS3 s3 = TestS3.start("steps-key", "steps-secret")) {
      TestCatalogs.legacyS3Catalog(url, "acme", "lake", "main", s3, "steps");
      try (JdbcCatalog before = JdbcLayoutClients.jdbcCatalog(url, "acme_main", s3, "steps")) {
        before.createNamespace(Namespace.of("sales"));
        Table table = before.createTable(ORDERS, TestTables.SCHEMA);
        table.newAppend().appendFile(TestTables.dataFile(table, "before-upgrade")).commit();
      }
      // An engine login of the old kind: not the owner, with plain table rights.
      superuser("CREATE ROLE " + legacy + " LOGIN PASSWORD '" + password + "'");
      superuser("GRANT USAGE ON SCHEMA pangolin, pangolin_jdbc TO " + legacy);
      superuser("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pangolin TO " + legacy);

      // Step 1: migrate as a superuser.
      assertThat(cli(null, null, "schema", "migrate")).contains("Schema is at version " + SchemaMigrator.LATEST_VERSION);
      assertThatThrownBy(() -> open(legacy)).as("until it is a principal with grants, the old login sees nothing")
          .hasMessageContaining("it is not a Pangolin principal", "principal create " + legacy + " --existing");

      // Step 2: a platform administrator, and the tenant's administrator named by it.
      String ops = role("ops");
      String acmeAdmin = role("acme_admin");
      String spark = role("spark");
      cli(null, null, "principal", "create", ops, "--platform-admin", "--password-env", "NEW_PASSWORD");
      cli(ops, password, "principal", "create", acmeAdmin, "--password-env", "NEW_PASSWORD");
      cli(ops, password, "tenant", "admin", "add", "--tenant", "acme", acmeAdmin);

      // Step 3: engines become principals with grants on the catalog; the old login is adopted.
      cli(ops, password, "principal", "create", spark, "--password-env", "NEW_PASSWORD");
      cli(ops, password, "principal", "create", legacy, "--existing");
      cli(acmeAdmin, password, "grant", "READ,WRITE,CREATE,DROP", "--to", spark, "--tenant", "acme", "--catalog",
          "main");
      cli(acmeAdmin, password, "grant", "READ,WRITE", "--to", legacy, "--tenant", "acme", "--catalog", "main");

      assertThat(cli(acmeAdmin, password, "table", "list", "--tenant", "acme", "--catalog", "main")).contains("orders");
      try (PangolinCatalog admin = open(acmeAdmin)) {
        Table table = admin.loadTable(ORDERS);
        table.newAppend().appendFile(TestTables.dataFile(table, "by-admin")).commit();
        admin.createTable(TableIdentifier.of("sales", "by_admin"), TestTables.SCHEMA);
      }
      try (PangolinCatalog engine = open(spark)) {
        Table table = engine.loadTable(ORDERS);
        table.newAppend().appendFile(TestTables.dataFile(table, "by-spark")).commit();
        engine.createTable(TableIdentifier.of("sales", "by_spark"), TestTables.SCHEMA);
        assertThat(engine.listTables(Namespace.of("sales"))).hasSize(3);
      }
      try (PangolinCatalog old = open(legacy)) {
        Table table = old.loadTable(ORDERS);
        table.newAppend().appendFile(TestTables.dataFile(table, "by-legacy")).commit();
        assertThat(TestTables.currentFiles(old.loadTable(ORDERS))).hasSize(4);
        assertThatThrownBy(() -> old.createTable(TableIdentifier.of("sales", "by_legacy"), TestTables.SCHEMA))
            .hasMessageContaining("CREATE");
      }
      assertThat(cli(acmeAdmin, password, "audit", "list", "--tenant", "acme", "--object", "sales.orders"))
          .contains("\t" + spark + "\tCOMMIT\t", "\t" + legacy + "\tCOMMIT\t", "\t" + acmeAdmin + "\tCOMMIT\t");
    } finally {
      // The adopted login first: its membership was granted by ops, which cannot be dropped while it stands.
      superuser("DROP OWNED BY " + legacy);
      superuser("DROP ROLE IF EXISTS " + legacy);
      for (String r : roles) {
        superuser("DROP ROLE IF EXISTS " + r);
      }
    }
  }
}
