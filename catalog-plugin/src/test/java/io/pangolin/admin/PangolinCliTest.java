package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The admin command line, run in-process with its own environment and streams. */
class PangolinCliTest {

  private static final String SECRET = "cli-secret-value-never-shown";
  private static TestS3 s3;

  private String url;
  private Map<String, String> env;
  private final StringBuilder allOutput = new StringBuilder();

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() {
    s3 = TestS3.start("cli-access-key", SECRET);
    s3.createBucket("cli");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    url = TestPostgres.get().newDatabase();
    env = TestCatalogs.adminEnvironment(url);
    env.put("S3_SECRET", SECRET);
  }

  private Run cliWithInput(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true));
    Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    allOutput.append(run.out()).append(run.err());
    return run;
  }

  private Run cli(String... args) {
    return cliWithInput("", args);
  }

  private void setUpWarehouse(String name, String bucket, String endpoint) {
    Run created = cliWithInput(SECRET + "\n", "warehouse", "create", "--tenant", "acme", name, "--root", "s3://" + bucket + "/wh",
        "--endpoint", endpoint, "--path-style-access", "--checksum-mode", "when-required",
        "--credentials", "static", "--access-key-id", s3.accessKey(), "--secret-stdin");
    assertThat(created.exit()).as(created.err()).isZero();
  }

  @Test
  void helpListsTheCommands() {
    Run help = cli("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("schema", "tenant", "warehouse", "catalog", "namespace", "table", "key");
    assertThat(cli("warehouse", "--help").out()).contains("create", "set-credentials", "check", "show");
  }

  @Test
  void setUpATenantWarehouseAndCatalogEndToEnd() throws Exception {
    assertThat(cli("schema", "version").out()).contains("database: none");
    assertThat(cli("schema", "migrate").exit()).isZero();
    assertThat(cli("schema", "version").out())
        .contains("database: " + SchemaMigrator.LATEST_VERSION, "this build: " + SchemaMigrator.LATEST_VERSION);

    assertThat(cli("tenant", "create", "acme").exit()).isZero();
    Run duplicate = cli("tenant", "create", "acme");
    assertThat(duplicate.exit()).isEqualTo(PangolinCli.CONFLICT);
    assertThat(duplicate.err()).contains("Tenant 'acme' already exists");
    assertThat(cli("tenant", "create", "bad name!").err()).contains("Invalid tenant name");

    setUpWarehouse("lake", "cli", s3.endpoint());
    assertThat(cli("warehouse", "list", "--tenant", "acme").out()).contains("lake\ts3://cli/wh\tstatic");
    Run show = cli("warehouse", "show", "--tenant", "acme", "lake");
    assertThat(show.out()).contains("access key id: cli-access-key", "secret access key: ***");

    Run check = cli("warehouse", "check", "--tenant", "acme", "lake");
    assertThat(check.exit()).as(check.out()).isZero();
    assertThat(check.out()).contains("ok: wrote s3://cli/wh/.pangolin-check/", "Warehouse acme/lake works.");
    assertThat(s3.keys("cli", "wh/.pangolin-check/")).as("the probe is deleted").isEmpty();

    assertThat(cli("catalog", "create", "--tenant", "acme", "main", "--warehouse", "lake").exit()).isZero();
    assertThat(cli("catalog", "list", "--tenant", "acme").out()).contains("main\twarehouse=lake\tjdbc-name=acme_main");

    Map<String, String> props = TestCatalogs.properties(url, "acme", "main");
    try (PangolinCatalog catalog = new PangolinCatalog()) {
      catalog.initialize("main", props);
      catalog.createNamespace(Namespace.of("sales"));
      catalog.createNamespace(Namespace.of("sales", "eu"));
      catalog.createTable(TableIdentifier.of("sales", "eu", "orders"), TestTables.SCHEMA);
    }
    assertThat(cli("namespace", "list", "--tenant", "acme", "--catalog", "main").out()).contains("sales\n", "sales.eu\n");
    assertThat(cli("table", "list", "--tenant", "acme", "--catalog", "main").out())
        .contains("sales.eu.orders\ttable\ts3://cli/wh/main/sales/eu/orders-");

    Run inUse = cli("warehouse", "delete", "--tenant", "acme", "lake");
    assertThat(inUse.exit()).isEqualTo(PangolinCli.CONFLICT);
    assertThat(inUse.err()).contains("used by catalogs");
    assertThat(cli("tenant", "delete", "acme").exit()).isEqualTo(PangolinCli.CONFLICT);

    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT secret_access_key, w::text FROM pangolin.warehouses w")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("pgl:v1:");
      assertThat(rs.getString(2)).doesNotContain(SECRET);
    }
    assertThat(allOutput.toString()).doesNotContain(SECRET);
  }

  /** An update changes what it names and nothing else; 'show' is the proof. */
  @Test
  void updateChangesOnlyWhatItIsTold() throws Exception {
    cli("schema", "migrate");
    cli("tenant", "create", "acme");
    Run created = cliWithInput(SECRET + "\n", "warehouse", "create", "--tenant", "acme", "lake", "--root",
        "s3://cli/wh", "--endpoint", s3.endpoint(), "--path-style-access", "--region", "eu-central-1",
        "--allowed-location", "s3://cli/extra", "--credentials", "static", "--access-key-id", s3.accessKey(),
        "--secret-stdin");
    assertThat(created.exit()).as(created.err()).isZero();

    Run updated = cli("warehouse", "update", "--tenant", "acme", "lake", "--checksum-mode", "when-required");
    assertThat(updated.exit()).as(updated.err()).isZero();
    assertThat(updated.out()).contains("Updated warehouse acme/lake (settings [checksum-mode])");
    Run show = cli("warehouse", "show", "--tenant", "acme", "lake");
    assertThat(show.out()).contains("endpoint=" + s3.endpoint(), "path-style-access=true", "region=eu-central-1",
        "checksum-mode=when-required", "allowed locations: [s3://cli/extra]", "access key id: cli-access-key");
    Run check = cli("warehouse", "check", "--tenant", "acme", "lake");
    assertThat(check.exit()).as(check.out()).isZero();

    assertThat(cli("warehouse", "update", "--tenant", "acme", "lake", "--setting", "fileio.s3.sse.type=s3",
        "--allowed-location", "s3://cli/more").exit()).isZero();
    assertThat(cli("warehouse", "update", "--tenant", "acme", "lake", "--unset", "region",
        "--remove-allowed-location", "s3://cli/extra").exit()).isZero();
    show = cli("warehouse", "show", "--tenant", "acme", "lake");
    assertThat(show.out()).contains("endpoint=" + s3.endpoint(), "path-style-access=true",
            "checksum-mode=when-required", "fileio.s3.sse.type=s3", "allowed locations: [s3://cli/more]")
        .doesNotContain("region=");

    String before = warehouseRow();
    Run nothing = cli("warehouse", "update", "--tenant", "acme", "lake");
    assertThat(nothing.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(nothing.err()).contains("Nothing to update in warehouse 'lake'", "--unset KEY");
    Run notSet = cli("warehouse", "update", "--tenant", "acme", "lake", "--unset", "region");
    assertThat(notSet.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(notSet.err()).contains("Cannot unset [region] in warehouse 'acme/lake': it has no such setting");
    Run both = cli("warehouse", "update", "--tenant", "acme", "lake", "--region", "eu-west-1", "--unset", "region");
    assertThat(both.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(both.err()).contains("[region] both set and unset");
    assertThat(warehouseRow()).as("refused updates change nothing").isEqualTo(before);
  }

  private String warehouseRow() throws Exception {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT settings::text, allowed_locations::text, config_version"
            + " FROM pangolin.warehouses")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3);
    }
  }

  @Test
  void badInputGetsAnExitCodeAndAMessage() {
    cli("schema", "migrate");
    Run unknownTenant = cliWithInput(SECRET + "\n", "warehouse", "create", "--tenant", "nobody", "lake", "--root", "s3://b/x",
        "--credentials", "static", "--access-key-id", "k", "--secret-stdin");
    assertThat(unknownTenant.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(unknownTenant.err()).contains("Tenant 'nobody' given by --tenant does not exist");

    cli("tenant", "create", "acme");
    Run missingSecret = cli("warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://b/x",
        "--credentials", "static", "--access-key-id", "k");
    assertThat(missingSecret.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(missingSecret.err()).contains("static credentials: give both an access key id and a secret");

    Run secretAsArgument = cli("warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://b/x",
        "--credentials", "static", "--access-key-id", "k", "--secret-access-key", SECRET);
    assertThat(secretAsArgument.exit()).isEqualTo(PangolinCli.BAD_INPUT);

    env.remove("PANGOLIN_MASTER_KEY");
    Run noKey = cli("warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://b/x",
        "--credentials", "static", "--access-key-id", "k", "--secret-env", "S3_SECRET");
    assertThat(noKey.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(noKey.err()).contains("no master key was given", "pangolin key generate");

    Run noCatalog = cli("catalog", "create", "--tenant", "acme", "main", "--warehouse", "nosuch");
    assertThat(noCatalog.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(noCatalog.err()).contains("has no warehouse 'nosuch'");

    env.put("PANGOLIN_DB_URI", "jdbc:postgresql://127.0.0.1:1/nothing");
    assertThat(cli("tenant", "list").exit()).isEqualTo(PangolinCli.DATABASE_UNAVAILABLE);
    assertThat(allOutput.toString()).doesNotContain(SECRET);
  }

  /** The master key: what --help says it defaults to, a missing file, a missing key, in the CLI's own terms. */
  @Test
  void masterKeyMessagesNameTheCommandLineOptions() {
    assertThat(cli("tenant", "list", "--help").out().replaceAll("\\s+", " "))
        .contains("--master-key-file=FILE File holding the base64 master key that encrypts warehouse secrets"
            + " (default: $PANGOLIN_MASTER_KEY_FILE); without either, the key itself is read from the environment"
            + " variable PANGOLIN_MASTER_KEY");
    assertThat(cli("warehouse", "create", "--help").out().replaceAll("\\s+", " "))
        .contains("--access-key-id=ID Access key id of static credentials");

    cli("schema", "migrate");
    cli("tenant", "create", "acme");
    setUpWarehouse("lake", "cli", s3.endpoint());
    Run missingFile = cli("warehouse", "show", "--tenant", "acme", "lake", "--master-key-file", "no/such.key");
    assertThat(missingFile.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(missingFile.err()).contains("The Pangolin master key file no/such.key does not exist");

    env.remove("PANGOLIN_MASTER_KEY");
    Run noKey = cli("warehouse", "check", "--tenant", "acme", "lake");
    assertThat(noKey.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(noKey.out()).contains("no master key was given", "--master-key-file", "PANGOLIN_MASTER_KEY");

    env.put("PANGOLIN_MASTER_KEY_FILE", "no/such-from-env.key");
    Run missingFromEnv = cli("warehouse", "show", "--tenant", "acme", "lake");
    assertThat(missingFromEnv.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(missingFromEnv.err()).contains("The Pangolin master key file no/such-from-env.key does not exist");
  }

  /** The variable names the key file for every command of a shell, as the README's operator path uses it. */
  @Test
  void theMasterKeyFileMayComeFromTheEnvironment(@TempDir Path dir) throws Exception {
    Path keyFile = dir.resolve("master.key");
    Files.writeString(keyFile, env.remove("PANGOLIN_MASTER_KEY"));
    env.put("PANGOLIN_MASTER_KEY_FILE", keyFile.toString());
    cli("schema", "migrate");
    cli("tenant", "create", "acme");
    Run created = cli("warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://b/x",
        "--credentials", "static", "--access-key-id", "k", "--secret-env", "S3_SECRET");
    assertThat(created.exit()).as(created.err()).isZero();
    Run explicit = cli("warehouse", "show", "--tenant", "acme", "lake", "--master-key-file", "no/such.key");
    assertThat(explicit.err()).as("the option wins over the variable")
        .contains("The Pangolin master key file no/such.key does not exist");
  }

  @Test
  void warehouseCheckSaysPlainlyWhatFailed() throws Exception {
    cli("schema", "migrate");
    cli("tenant", "create", "acme");

    setUpWarehouse("wrong-keys", "cli", s3.endpoint());
    env.put("OTHER_SECRET", "not-the-right-secret");
    cli("warehouse", "set-credentials", "--tenant", "acme", "wrong-keys", "--credentials", "static",
        "--access-key-id", s3.accessKey(), "--secret-env", "OTHER_SECRET");
    Run wrongKeys = cli("warehouse", "check", "--tenant", "acme", "wrong-keys");
    assertThat(wrongKeys.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(wrongKeys.out()).contains("FAILED: wrong keys");

    setUpWarehouse("no-bucket", "no-such-bucket", s3.endpoint());
    Run noBucket = cli("warehouse", "check", "--tenant", "acme", "no-bucket");
    assertThat(noBucket.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(noBucket.out()).contains("FAILED: missing bucket");

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    setUpWarehouse("unreachable", "cli", "http://127.0.0.1:" + closedPort);
    Run unreachable = cli("warehouse", "check", "--tenant", "acme", "unreachable");
    assertThat(unreachable.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(unreachable.out()).contains("FAILED: unreachable endpoint",
        "fix: check that the store runs at the warehouse's endpoint http://127.0.0.1:" + closedPort);

    Run noChecksumMode = cliWithInput(SECRET + "\n", "warehouse", "create", "--tenant", "acme", "sdk-checksums",
        "--root", "s3://cli/wh", "--endpoint", s3.endpoint(), "--path-style-access", "--credentials", "static",
        "--access-key-id", s3.accessKey(), "--secret-stdin");
    assertThat(noChecksumMode.exit()).as(noChecksumMode.err()).isZero();
    Run checksums = cli("warehouse", "check", "--tenant", "acme", "sdk-checksums");
    assertThat(checksums.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(checksums.out()).contains("FAILED: the store refused the write (XAmzContentSHA256Mismatch, HTTP 400)",
        "fix: 'pangolin warehouse update --tenant acme sdk-checksums --checksum-mode when-required'");
    assertThat(cli("warehouse", "update", "--tenant", "acme", "sdk-checksums", "--checksum-mode", "when-required")
        .exit()).isZero();
    assertThat(cli("warehouse", "check", "--tenant", "acme", "sdk-checksums").exit()).as("the fix works").isZero();

    Run awsDefault = cliWithInput(SECRET + "\n", "warehouse", "create", "--tenant", "acme", "no-endpoint",
        "--root", "s3://lake-bucket.invalid/wh", "--credentials", "static", "--access-key-id", s3.accessKey(),
        "--secret-stdin");
    assertThat(awsDefault.exit()).as(awsDefault.err()).isZero();
    Run unknownHost = cli("warehouse", "check", "--tenant", "acme", "no-endpoint");
    assertThat(unknownHost.exit()).isEqualTo(PangolinCli.CHECK_FAILED);
    assertThat(unknownHost.out()).contains("FAILED: unreachable endpoint: the host name", "does not resolve",
        "fix: the warehouse has no endpoint, so it addresses AWS S3; for an S3-compatible store run"
            + " 'pangolin warehouse update --tenant acme no-endpoint --endpoint URL --path-style-access'");
    assertThat(allOutput.toString()).doesNotContain(SECRET).doesNotContain("not-the-right-secret");
  }

  /** Pangolin's own loggers and those of the libraries it hands secrets to, at DEBUG, captured off the console. */
  @Test
  void noSecretReachesTheLogsEvenAtDebug() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    List<Logger> loggers = Stream.of("io.pangolin", "org.apache.iceberg", "com.zaxxer.hikari", "org.postgresql",
            "org.flywaydb", "software.amazon.awssdk")
        .map(name -> (Logger) LoggerFactory.getLogger(name)).toList();
    Map<Logger, Level> levels = new HashMap<>();
    for (Logger logger : loggers) {
      levels.put(logger, logger.getLevel());
      logger.setLevel(Level.DEBUG);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
    try {
      cli("schema", "migrate");
      cli("tenant", "create", "acme");
      setUpWarehouse("lake", "cli", s3.endpoint());
      cli("catalog", "create", "--tenant", "acme", "main", "--warehouse", "lake");
      try (PangolinCatalog catalog = new PangolinCatalog()) {
        catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
        catalog.createNamespace(Namespace.of("ns"));
        catalog.createTable(TableIdentifier.of("ns", "t"), TestTables.SCHEMA);
      }
    } finally {
      for (Logger logger : loggers) {
        logger.detachAppender(appender);
        logger.setAdditive(true);
        logger.setLevel(levels.get(logger));
      }
    }
    assertThat(appender.list).isNotEmpty();
    assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains(SECRET)
        || e.getFormattedMessage().contains(TestKeys.MASTER_KEY));
  }
}
