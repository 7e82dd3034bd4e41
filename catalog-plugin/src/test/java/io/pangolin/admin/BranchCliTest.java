package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The branch and tag commands: create, list, merge (and a refused merge's exit code and message), delete. */
class BranchCliTest {

  private static final String BUCKET = "branch-cli";
  private static final TableIdentifier ORDERS = TableIdentifier.of(Namespace.of("sales"), "orders");
  private static TestS3 s3;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    s3 = TestS3.start("branch-cli-key", "branch-cli-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void branchTagMergeAndDeleteFromTheCommandLine() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
    Map<String, String> env = TestCatalogs.adminEnvironment(url);
    try (PangolinCatalog main = open(url, "main")) {
      main.createNamespace(ORDERS.namespace());
      main.createTable(ORDERS, TestTables.SCHEMA);
    }
    assertThat(cli(env, "branch", "create", "dev", "--tenant", "acme", "--catalog", "main").out())
        .contains("Created branch dev from main in catalog acme/main");
    assertThat(cli(env, "tag", "create", "v1", "--from", "dev", "--tenant", "acme", "--catalog", "main").exit())
        .isZero();
    Run list = cli(env, "branch", "list", "--tenant", "acme", "--catalog", "main");
    assertThat(list.out()).contains("main\tbranch", "dev\tbranch\tfrom=main", "v1\ttag\tfrom=dev");

    for (String ref : List.of("main", "dev")) {
      try (PangolinCatalog catalog = open(url, ref)) {
        Table orders = catalog.loadTable(ORDERS);
        orders.newFastAppend().appendFile(TestTables.dataFile(orders, ref)).commit();
      }
    }
    Run refused = cli(env, "branch", "merge", "dev", "--into", "main", "--tenant", "acme", "--catalog", "main");
    assertThat(refused.exit()).isEqualTo(PangolinCli.CONFLICT);
    assertThat(refused.err()).contains("sales.orders", "Nothing was merged");

    Run wrongTarget = cli(env, "branch", "merge", "dev", "--into", "v1", "--tenant", "acme", "--catalog", "main");
    assertThat(wrongTarget.exit()).isEqualTo(PangolinCli.BAD_INPUT);

    Run inUse = cli(env, "branch", "delete", "dev", "--tenant", "acme", "--catalog", "main");
    assertThat(inUse.exit()).isEqualTo(PangolinCli.CONFLICT);
    assertThat(inUse.err()).contains("delete those first");
    assertThat(cli(env, "tag", "delete", "v1", "--tenant", "acme", "--catalog", "main").exit()).isZero();
    assertThat(cli(env, "branch", "delete", "dev", "--tenant", "acme", "--catalog", "main").exit()).isZero();
    assertThat(cli(env, "branch", "delete", "dev", "--tenant", "acme", "--catalog", "main").exit())
        .isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(cli(env, "branch", "create", "x", "--from", "nope", "--tenant", "acme", "--catalog", "main").err())
        .contains("\"nope\" does not exist");
    assertThat(cli(env, "branch", "create", "part", "--namespace", "sales", "--tenant", "acme", "--catalog", "main")
        .out()).contains("Created branch part from main", "namespaces sales");
    assertThat(cli(env, "branch", "list", "--tenant", "acme", "--catalog", "main").out())
        .contains("part\tbranch\tfrom=main", "namespaces=sales");
  }

  private static PangolinCatalog open(String url, String ref) {
    return TestCatalogs.open(url, "acme", "main", ref);
  }

  private static Run cli(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
