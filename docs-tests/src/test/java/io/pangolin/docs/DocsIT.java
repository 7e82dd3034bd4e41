package io.pangolin.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.pangolin.docs.DocBlocks.Block;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the README and docs/ as a newcomer would: the shell blocks not marked illustrative (see {@link DocBlocks}),
 * with bash, as written, from an empty folder, against PostgreSQL 15 run as a separate process, an S3 server that
 * checks signatures (the bucket lake-bucket already made), the distribution's {@code pangolin} and Spark (see
 * {@link SparkStandIns}). The only placeholders are the variables of {@link DocEnvironment}.
 *
 * <p>README.md runs first, its run blocks as one script, which ends by writing its exported variables to a file.
 * Then each page of docs/ with run blocks (alphabetical order) runs as a script of its own that first sources that
 * file, in the same folder. After the README, what its operator path promises is checked on the servers
 * themselves. With {@code -Dpangolin.docs.documents=a.md,b.md} (paths from the repository root) those documents
 * run instead, the first in the README's place.
 *
 * <p>Run folder: target/docs-run/ (work/ is the documents' folder, home/ their HOME, one .log per document).
 */
class DocsIT {

  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final Path REPO = Documents.repo();
  private static final Path RUN = Path.of("target", "docs-run").toAbsolutePath();
  private static final Path WORK = RUN.resolve("work");
  private static final Path ENV_FILE = RUN.resolve("readme.env");
  private static final String BUCKET = "lake-bucket";
  private static final String ACCESS_KEY = "AKIADOCSITLAKEKEY001";

  private static TestPostgres postgres;
  private static TestS3 s3;
  private static DocEnvironment.Servers servers;
  private static Map<String, String> env;
  private static boolean firstPassed;

  @BeforeAll
  static void startServers() throws Exception {
    Path home = Path.of(System.getProperty("pangolin.home", "../distribution/target/pangolin")).toAbsolutePath()
        .normalize();
    assertThat(home.resolve("bin/pangolin"))
        .as("No distribution at %s: build it first (mvn -B -ntp package from the root builds the distribution"
            + " module), or pass -Dpangolin.home=<a folder with bin/pangolin, lib/ and engine/>", home)
        .isExecutable();
    deleteRecursively(RUN);
    Files.createDirectories(WORK);
    Path userHome = Files.createDirectories(RUN.resolve("home"));

    postgres = TestPostgres.version(15);
    checkPasswordsOfAllButTheSuperuser();
    s3 = TestS3.start(ACCESS_KEY, "docs-it-secret-" + UUID.randomUUID());
    s3.createBucket(BUCKET);

    Path sparkBin = SparkStandIns.write(RUN.resolve("spark"),
        Files.readString(Path.of(System.getProperty("docs.spark.classpath"))).strip(),
        System.getProperty("docs.spark.opens", ""), Path.of(System.getProperty("docs.shell.jar")));
    servers = new DocEnvironment.Servers("localhost", postgres.embedded().getPort(), postgres.user(),
        postgres.password(), s3.endpoint(), s3.accessKey(), s3.secretKey(),
        "docs-admin-pw-" + UUID.randomUUID(), "docs-etl-pw-" + UUID.randomUUID());
    env = DocEnvironment.of(servers, home, sparkBin, userHome);
  }

  @AfterAll
  static void stopS3() {
    if (s3 != null) {
      s3.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> theDocumentsRunAsWritten() {
    String listed = System.getProperty("pangolin.docs.documents", "");
    List<Path> documents = listed.isBlank() ? Documents.discover(REPO) : Documents.listed(REPO, listed);
    assertThat(documents).as("documents to run (README.md and docs/, or -Dpangolin.docs.documents)").isNotEmpty();
    Path first = documents.get(0);
    String firstName = Documents.name(REPO, first);
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(dynamicTest(firstName, () -> {
      List<Block> blocks = runBlocks(first);
      assertThat(blocks).as("%s has no shell block to run: its operator path must be bash blocks that are not"
          + " marked illustrative", firstName).isNotEmpty();
      runAndCheck(firstName, blocks, null, ENV_FILE);
      firstPassed = true;
    }));
    tests.add(dynamicTest(firstName + ": what the operator path promises", () -> {
      assumeTrue(firstPassed, "not checked: " + firstName + " did not run through");
      operatorPathPromises();
    }));
    for (Path page : documents.subList(1, documents.size())) {
      String name = Documents.name(REPO, page);
      List<Block> blocks = runBlocks(page);
      if (blocks.isEmpty()) {
        continue;
      }
      tests.add(dynamicTest(name, () -> {
        assumeTrue(firstPassed, "not run: " + firstName + " did not run through, and every page starts from what"
            + " it set up");
        runAndCheck(name, blocks, ENV_FILE, null);
      }));
    }
    return tests.stream();
  }

  private static List<Block> runBlocks(Path document) {
    return DocBlocks.parse(Documents.name(REPO, document), Documents.read(document)).runBlocks();
  }

  private static void runAndCheck(String name, List<Block> blocks, Path sourced, Path exportTo) throws Exception {
    String script = DocRun.script(name, blocks, sourced, exportTo);
    String file = name.replaceFirst("^/+", "");
    DocRun.Result result = DocRun.run(name, script, RUN.resolve("scripts").resolve(file + ".sh"),
        RUN.resolve(file + ".log"), WORK, env, TIMEOUT);
    List<String> shown = new ArrayList<>();
    String redacted = result.output();
    for (String secret : DocEnvironment.SECRETS) {
      String value = env.get(secret);
      if (redacted.contains(value)) {
        shown.add(secret);
        redacted = redacted.replace(value, "***" + secret + "***");
      }
    }
    if (!shown.isEmpty()) {
      Files.writeString(result.log(), redacted);
    }
    String tail = (shown.isEmpty() ? "" : "\nIt also printed the values of " + String.join(", ", shown)
        + " (the log is now redacted).") + "\n---- the last 60 lines of " + RUN.relativize(result.log()) + " ----\n"
        + DocRun.tail(redacted, 60);
    if (result.timedOut()) {
      fail(result.lastBlock() + ": still running after " + TIMEOUT.toMinutes() + " minutes, stopped" + tail);
    }
    if (result.exitCode() != 0) {
      fail(result.lastBlock() + ": failed with exit code " + result.exitCode() + tail);
    }
    assertThat(shown).as("%s printed the values of these variables (the log is now redacted)", name).isEmpty();
  }

  /**
   * The README's operator path, checked on the servers: tenant demo with its administrator demo_admin; the
   * engine principal demo_etl holding READ, WRITE, CREATE and DROP on catalog demo/lake; warehouse lake at
   * s3://lake-bucket/warehouse on LAKE_S3_ENDPOINT with the LAKE_* key (sealed); both passwords really checked;
   * table db.orders whose pointer is under the warehouse, committed by demo_etl, with its metadata.json and a data
   * file in the bucket.
   */
  private static void operatorPathPromises() throws SQLException {
    String url = env.get("PANGOLIN_DB_URI");
    try (Connection db = DriverManager.getConnection(url, postgres.user(), postgres.password())) {
      assertThat(strings(db, "SELECT a.role_name FROM pangolin.tenant_admins a"
          + " JOIN pangolin.tenants t ON t.id = a.tenant_id WHERE t.name = 'demo'"))
          .as("the administrators of tenant demo").containsExactly("demo_admin");
      assertThat(strings(db, "SELECT g.privilege FROM pangolin.grants g JOIN pangolin.catalogs c ON c.id = g.catalog_id"
          + " JOIN pangolin.tenants t ON t.id = c.tenant_id WHERE t.name = 'demo' AND c.name = 'lake'"
          + " AND g.grantee = 'demo_etl' AND g.namespace_id IS NULL AND g.relation_id IS NULL"))
          .as("demo_etl's grants on catalog demo/lake").containsExactlyInAnyOrder("READ", "WRITE", "CREATE", "DROP");

      List<String> warehouse = row(db, "SELECT w.storage_root, w.settings ->> 'endpoint', w.access_key_id,"
          + " w.secret_access_key, w.credential_type, cw.name FROM pangolin.warehouses w"
          + " JOIN pangolin.tenants t ON t.id = w.tenant_id JOIN pangolin.catalogs c ON c.tenant_id = t.id"
          + " AND c.name = 'lake' JOIN pangolin.warehouses cw ON cw.id = c.warehouse_id"
          + " WHERE t.name = 'demo' AND w.name = 'lake'");
      assertThat(warehouse).as("warehouse demo/lake (root, endpoint, key id, credential type, catalog lake's"
          + " warehouse)").isNotNull();
      assertThat(List.of(warehouse.get(0), warehouse.get(1), warehouse.get(2), warehouse.get(4), warehouse.get(5)))
          .containsExactly("s3://" + BUCKET + "/warehouse", servers.s3Endpoint(), servers.s3AccessKey(), "static",
              "lake");
      assertThat(warehouse.get(3)).as("the stored secret is sealed").isNotBlank()
          .doesNotContain(servers.s3Secret());

      List<String> pointer = row(db, "SELECT r.metadata_location FROM pangolin.relations r"
          + " JOIN pangolin.namespaces n ON n.id = r.namespace_id JOIN pangolin.catalogs c ON c.id = n.catalog_id"
          + " JOIN pangolin.tenants t ON t.id = c.tenant_id WHERE t.name = 'demo' AND c.name = 'lake'"
          + " AND n.levels = ARRAY['db'] AND r.name = 'orders' AND r.kind = 'TABLE'");
      assertThat(pointer).as("table db.orders in catalog demo/lake").isNotNull();
      String metadata = pointer.get(0);
      assertThat(metadata).startsWith("s3://" + BUCKET + "/warehouse/").endsWith(".metadata.json");

      assertThat(strings(db, "SELECT a.principal FROM pangolin.audit_log a JOIN pangolin.tenants t"
          + " ON t.id = a.tenant_id WHERE t.name = 'demo' AND a.object_kind = 'relations' AND a.action = 'COMMIT'"
          + " AND a.object_name = 'db.orders'"))
          .as("who committed db.orders, by the audit trail").isNotEmpty().containsOnly("demo_etl");

      List<String> keys = s3.keys(BUCKET, "warehouse/");
      assertThat(keys).as("objects under s3://%s/warehouse/", BUCKET)
          .contains(metadata.substring(("s3://" + BUCKET + "/").length()))
          .anyMatch(k -> k.contains("/data/") && k.endsWith(".parquet"));
    }
    passwordIsChecked(url, "demo_admin", servers.adminPassword());
    passwordIsChecked(url, "demo_etl", servers.etlPassword());
  }

  private static void passwordIsChecked(String url, String role, String password) throws SQLException {
    DriverManager.getConnection(url, role, password).close();
    assertThatThrownBy(() -> DriverManager.getConnection(url, role, "not-" + password).close())
        .as("a wrong password of %s", role).hasMessageContaining("password authentication failed");
  }

  private static List<String> strings(Connection db, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (PreparedStatement statement = db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }

  /** The only row of {@code sql}, or null. */
  private static List<String> row(Connection db, String sql) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql); ResultSet rs = statement.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      List<String> values = new ArrayList<>();
      for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
        values.add(rs.getString(i));
      }
      assertThat(rs.next()).as("more than one row for %s", sql).isFalse();
      return values;
    }
  }

  /**
   * The embedded server trusts every loopback login. Make it check the password of every role but the superuser's
   * (which the embedded library and the harness use), so that the principals' passwords the documents set are
   * really the ones their logins need; returns once a wrong password is refused.
   */
  private static void checkPasswordsOfAllButTheSuperuser() throws Exception {
    String url = "jdbc:postgresql://localhost:" + postgres.embedded().getPort() + "/postgres";
    try (Connection db = DriverManager.getConnection(url, postgres.user(), postgres.password());
        Statement statement = db.createStatement()) {
      Path hba;
      try (ResultSet rs = statement.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = Path.of(rs.getString(1));
      }
      String rules = "host all " + postgres.user() + " all trust\nhost all all all scram-sha-256\n";
      Files.writeString(hba, rules + Files.readString(hba));
      statement.execute("SELECT pg_reload_conf()");
      statement.execute("CREATE ROLE docs_it_probe LOGIN PASSWORD 'right'");
      try {
        for (int attempt = 0; ; attempt++) {
          try (Connection wrong = DriverManager.getConnection(url, "docs_it_probe", "wrong")) {
            assertThat(attempt).as("the server still trusts every login after reloading %s", hba).isLessThan(200);
            Thread.sleep(10);
          } catch (SQLException refused) {
            break;
          }
        }
      } finally {
        statement.execute("DROP ROLE docs_it_probe");
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
