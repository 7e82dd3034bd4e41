package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 'table list --dropped', 'table undrop', 'gc' and the drop retention, as an operator runs them. */
class GraveyardCliTest {

  private static final String SECRET = "graveyard-cli-secret";
  private static TestS3 s3;
  private static String url;
  private static Map<String, String> env;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    s3 = TestS3.start("graveyard-key", SECRET);
    s3.createBucket("grave");
    url = TestPostgres.get().newDatabase();
    env = TestCatalogs.adminEnvironment(url);
    assertThat(cli(env, "", "schema", "migrate").exit()).isZero();
    assertThat(cli(env, "", "tenant", "create", "acme").exit()).isZero();
    Run warehouse = cli(env, SECRET + "\n", "warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://grave/wh",
        "--endpoint", s3.endpoint(), "--path-style-access", "--checksum-mode", "when-required",
        "--credentials", "static", "--access-key-id", s3.accessKey(), "--secret-stdin");
    assertThat(warehouse.exit()).as(warehouse.err()).isZero();
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void listUndropAndGcAsAnOperator() {
    Run created = cli(env, "", "catalog", "create", "--tenant", "acme", "main", "--warehouse", "lake",
        "--drop-retention", "1d");
    assertThat(created.exit()).as(created.err()).isZero();
    String location;
    try (PangolinCatalog catalog = open()) {
      catalog.createNamespace(Namespace.of("sales"));
      Table orders = catalog.createTable(TableIdentifier.of("sales", "orders"), TestTables.SCHEMA);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "rows")).commit();
      location = ((HasTableOperations) orders).operations().current().location();
      catalog.dropTable(TableIdentifier.of("sales", "orders"), true);
      catalog.createTable(TableIdentifier.of("sales", "orders"), TestTables.SCHEMA);
    }
    String prefix = location.substring("s3://grave/".length()) + "/";

    Run dropped = cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "main", "--dropped");
    assertThat(dropped.out()).startsWith("sales.orders\ttable\tid=").contains("\tpurge\t");
    Run taken = cli(env, "", "table", "undrop", "--tenant", "acme", "--catalog", "main", "sales.orders");
    assertThat(taken.exit()).isEqualTo(PangolinCli.CONFLICT);
    assertThat(taken.err()).contains("the name sales.orders is taken", "--as");
    Run restored = cli(env, "", "table", "undrop", "--tenant", "acme", "--catalog", "main", "sales.orders",
        "--as", "sales.orders_before");
    assertThat(restored.exit()).as(restored.err()).isZero();
    assertThat(restored.out()).contains("Restored table acme/main sales.orders_before");
    assertThat(cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "main", "--dropped").out()).isEmpty();

    assertThat(cli(env, "", "catalog", "update", "--tenant", "acme", "main", "--drop-retention", "0s").exit())
        .isZero();
    try (PangolinCatalog catalog = open()) {
      catalog.dropTable(TableIdentifier.of("sales", "orders_before"), true);
    }
    Run dry = cli(env, "", "gc", "--tenant", "acme", "--dry-run");
    assertThat(dry.exit()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("purged (dry run)\tmain\tsales.orders_before", "Dry run: 1 ");
    assertThat(s3.keys("grave", prefix)).isNotEmpty();
    Run gc = cli(env, "", "gc", "--tenant", "acme", "--catalog", "main");
    assertThat(gc.exit()).as(gc.err()).isZero();
    assertThat(gc.out()).contains("purged\tmain\tsales.orders_before");
    assertThat(s3.keys("grave", prefix)).isEmpty();
  }

  @Test
  void badRetentionUnknownCatalogAndMissingPrivilegeGetExitCodesAndMessages() throws Exception {
    assertThat(cli(env, "", "catalog", "create", "--tenant", "acme", "other", "--warehouse", "lake").exit()).isZero();
    Run bad = cli(env, "", "catalog", "update", "--tenant", "acme", "other", "--drop-retention", "soon");
    assertThat(bad.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(bad.err()).contains("Invalid drop retention 'soon'", "7d");
    Run ok = cli(env, "", "catalog", "update", "--tenant", "acme", "other", "--drop-retention", "36h");
    assertThat(ok.out()).contains("keeps dropped tables and views for PT36H");
    assertThat(cli(env, "", "catalog", "update", "--tenant", "acme", "nope", "--drop-retention", "1d").exit())
        .isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(cli(env, "", "gc", "--tenant", "acme", "--catalog", "nope").exit()).isEqualTo(PangolinCli.NOT_FOUND);

    String role = "gc_less_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'pw' IN ROLE pangolin_principal");
      s.execute("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, '" + role + "', 'READ'"
          + " FROM pangolin.catalogs WHERE name = 'other'");
      Map<String, String> asRole = new HashMap<>(env);
      asRole.put("PANGOLIN_DB_USER", role);
      asRole.put("PANGOLIN_DB_PASSWORD", "pw");
      Run refused = cli(asRole, "", "gc", "--tenant", "acme", "--catalog", "other");
      assertThat(refused.exit()).isEqualTo(PangolinCli.FORBIDDEN);
      assertThat(refused.err()).contains("principal '" + role + "'", "GC privilege");
      s.execute("DELETE FROM pangolin.grants WHERE grantee = '" + role + "'");
      s.execute("DROP ROLE " + role);
    }
  }

  @Test
  void dropsOnABranchAreListedAndUndroppedThereWithRef() {
    assertThat(cli(env, "", "catalog", "create", "--tenant", "acme", "branchy", "--warehouse", "lake").exit()).isZero();
    try (PangolinCatalog catalog = open("branchy", "main")) {
      catalog.createNamespace(Namespace.of("sales"));
      catalog.createTable(TableIdentifier.of("sales", "orders"), TestTables.SCHEMA);
    }
    assertThat(cli(env, "", "branch", "create", "dev", "--tenant", "acme", "--catalog", "branchy").exit()).isZero();
    try (PangolinCatalog dev = open("branchy", "dev")) {
      dev.dropTable(TableIdentifier.of("sales", "orders"), false);
    }

    assertThat(cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "branchy", "--dropped").out()).isEmpty();
    Run listed = cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "branchy", "--dropped", "--ref", "dev");
    assertThat(listed.out()).startsWith("sales.orders\ttable\tid=");
    Run unknown = cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "branchy", "--dropped", "--ref", "nope");
    assertThat(unknown.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(unknown.err()).contains("Unknown branch 'nope'");
    Run misused = cli(env, "", "table", "list", "--tenant", "acme", "--catalog", "branchy", "--ref", "dev");
    assertThat(misused.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(misused.err()).contains("--ref", "--dropped");

    Run restored = cli(env, "", "table", "undrop", "--tenant", "acme", "--catalog", "branchy", "sales.orders",
        "--ref", "dev");
    assertThat(restored.exit()).as(restored.err()).isZero();
    assertThat(restored.out()).contains("Restored table acme/branchy sales.orders on branch dev");
    try (PangolinCatalog dev = open("branchy", "dev")) {
      assertThat(dev.tableExists(TableIdentifier.of("sales", "orders"))).isTrue();
    }
  }

  private static PangolinCatalog open() {
    return open("main", "main");
  }

  private static PangolinCatalog open(String catalogName, String ref) {
    Map<String, String> props = TestCatalogs.properties(url, "acme", catalogName);
    if (!"main".equals(ref)) {
      props.put("pangolin.ref", ref);
    }
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(catalogName, props);
    return catalog;
  }

  private static Run cli(Map<String, String> environment, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
