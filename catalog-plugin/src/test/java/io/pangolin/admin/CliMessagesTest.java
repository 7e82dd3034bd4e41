package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.AclSceneTest;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the command line says when something is wrong, word for word, with its exit code: one line that names the
 * real cause and the fix in the command line's own terms (its options and environment variables, never an engine's
 * catalog properties), never the usage, a database function's context or an id, and never a secret.
 */
class CliMessagesTest extends AclSceneTest {

  private static final String SECRET = "hunter2-" + UUID.randomUUID();

  private final StringBuilder allOutput = new StringBuilder();

  record Run(int exit, String out, String err) {}

  @AfterEach
  void noSecretWasPrinted() {
    assertThat(allOutput.toString()).doesNotContain(SECRET).doesNotContain(scene.password());
  }

  private Run run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    allOutput.append(r.out()).append(r.err());
    return r;
  }

  /** As the server's superuser, who sees every tenant. */
  private Run cli(String... args) {
    return run(TestCatalogs.adminEnvironment(scene.url), args);
  }

  private Run as(String role, String password, String... args) {
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("PANGOLIN_DB_USER", role);
    env.put("PANGOLIN_DB_PASSWORD", password);
    return run(env, args);
  }

  private static void assertFails(Run run, int exit, String err) {
    assertThat(run.exit()).as(run.err()).isEqualTo(exit);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo(err + "\n");
  }

  @Test
  void creatingAnExistingCatalogSaysItExistsBeforeItsJdbcName() {
    assertFails(cli("catalog", "create", "--tenant", "acme", "main", "--warehouse", "lake"), PangolinCli.CONFLICT,
        "pangolin: Catalog 'main' already exists in tenant 'acme'");
    assertFails(cli("catalog", "create", "--tenant", "acme", "main", "--warehouse", "lake", "--jdbc-name",
        "acme_other"), PangolinCli.CONFLICT, "pangolin: Catalog 'main' already exists in tenant 'acme'");
    // Only a JDBC-catalog name held by another catalog is reported as such.
    assertFails(cli("catalog", "create", "--tenant", "acme", "second", "--warehouse", "lake", "--jdbc-name",
        "acme_main"), PangolinCli.CONFLICT, "pangolin: Cannot create catalog 'second': its JDBC-catalog name"
        + " 'acme_main' is taken by another catalog; choose another with --jdbc-name");
  }

  /** Every command that takes --tenant, with an unknown one, as the superuser: the same message and exit code. */
  @ParameterizedTest
  @ValueSource(strings = {
      "catalog list --tenant nosuch",
      "catalog create --tenant nosuch c --warehouse lake",
      "catalog delete --tenant nosuch c",
      "catalog update --tenant nosuch c --drop-retention 1d",
      "warehouse list --tenant nosuch",
      "warehouse show --tenant nosuch lake",
      "warehouse create --tenant nosuch lake --root s3://b/x --credentials engine-identity",
      "warehouse update --tenant nosuch lake --region eu-west-1",
      "warehouse check --tenant nosuch lake",
      "warehouse delete --tenant nosuch lake",
      "namespace list --tenant nosuch --catalog main",
      "table list --tenant nosuch --catalog main",
      "table undrop --tenant nosuch --catalog main sales.orders",
      "branch list --tenant nosuch --catalog main",
      "branch create --tenant nosuch --catalog main b",
      "tag create --tenant nosuch --catalog main t",
      "audit list --tenant nosuch",
      "tenant admin add --tenant nosuch somebody",
      "grant READ --tenant nosuch --catalog main --to somebody",
      "revoke READ --tenant nosuch --catalog main --from somebody",
      "grants show --tenant nosuch --catalog main",
      "gc --tenant nosuch --dry-run",
      "key reseal --tenant nosuch --to-key-file no-such.key"})
  void anUnknownTenantIsNamedByItsOption(String command) {
    Run run = cli(command.split(" "));
    assertFails(run, PangolinCli.NOT_FOUND,
        "pangolin: Tenant 'nosuch' given by --tenant does not exist; 'pangolin tenant list' shows the tenants");
    assertThat(run.err()).doesNotContain("privilege").doesNotContain("catalog property");
  }

  @Test
  void aTenantAPrincipalDoesNotSeeMayExist() {
    assertFails(as(scene.reader, scene.password(), "catalog", "list", "--tenant", "globex"), PangolinCli.NOT_FOUND,
        "pangolin: Tenant 'globex' given by --tenant does not exist, or login '" + scene.reader + "' holds no"
            + " privilege in it; 'pangolin tenant list' shows the tenants it sees");
  }

  @Test
  void anUnknownCatalogOnTheCommandLineIsNotAnEngineProperty() {
    assertFails(cli("branch", "list", "--tenant", "acme", "--catalog", "nosuch"), PangolinCli.NOT_FOUND,
        "pangolin: Unknown catalog 'nosuch' in tenant 'acme'; 'pangolin catalog list --tenant acme' shows its"
            + " catalogs");
  }

  @Test
  void refusalsShowTheServersWordsNotTheFunctionsTheyPassedThrough() {
    Run branch = as(scene.reader, scene.password(), "branch", "create", "--tenant", "acme", "--catalog", "main", "b");
    assertThat(branch.exit()).as(branch.err()).isEqualTo(PangolinCli.FORBIDDEN);
    assertThat(branch.err()).contains("principal '" + scene.reader + "'", "CREATE_BRANCH")
        .doesNotContain("PL/pgSQL").doesNotContain("Where:").doesNotContain("line ");
    Run grant = as(scene.reader, scene.password(), "grant", "READ", "--tenant", "acme", "--catalog", "main",
        "--namespace", "sales", "--to", scene.writer);
    assertThat(grant.exit()).as(grant.err()).isEqualTo(PangolinCli.FORBIDDEN);
    assertThat(grant.err()).contains("principal '" + scene.reader + "'", "MANAGE_GRANTS")
        .doesNotContain("PL/pgSQL").doesNotContain("Where:").doesNotContain("line ");
  }

  /** A principal that holds CREATE on a catalog still may not make catalogs: that is the tenant administrator's. */
  @Test
  void makingACatalogIsATenantAdministratorsJob() throws Exception {
    scene.grant(scene.adminA, scene.writer, "CREATE", "acme", null, null);
    assertFails(as(scene.writer, scene.password(), "catalog", "create", "--tenant", "acme", "more", "--warehouse",
        "lake"), PangolinCli.FORBIDDEN, "pangolin: Permission denied: principal '" + scene.writer + "' may not"
        + " create catalog 'more': making and changing a tenant's warehouses and catalogs is the job of its"
        + " administrators, which no grant makes a principal (a platform administrator names them with 'pangolin"
        + " tenant admin add --tenant T ROLE')");
  }

  @Test
  void aRefusedLoginNamesTheUserAndWhereThePasswordCameFrom() throws Exception {
    TestPostgres.get().checkPasswordsOf(PrincipalAdminTest.PASSWORD_CHECKED);
    scene.superuser("GRANT " + PrincipalAdminTest.PASSWORD_CHECKED + " TO " + scene.reader);
    assertFails(as(scene.reader, SECRET, "tenant", "list"), PangolinCli.FORBIDDEN,
        "pangolin: PostgreSQL refused the login of '" + scene.reader + "' (SQLSTATE 28P01: password authentication"
            + " failed for user \"" + scene.reader + "\"); check PANGOLIN_DB_USER and the password in"
            + " $PANGOLIN_DB_PASSWORD (or give it with --password-env/--password-file)");

    // No password at all: the driver stops before the server can refuse, with a connection error (08004), and
    // that is the same mistake, not an unavailable database.
    Map<String, String> noPassword = TestCatalogs.adminEnvironment(scene.url);
    noPassword.put("PANGOLIN_DB_USER", scene.reader);
    noPassword.remove("PANGOLIN_DB_PASSWORD");
    assertFails(run(noPassword, "tenant", "list"), PangolinCli.FORBIDDEN,
        "pangolin: PostgreSQL asked for the password of '" + scene.reader + "' and none was given; check"
            + " PANGOLIN_DB_USER and the password in $PANGOLIN_DB_PASSWORD (or give it with"
            + " --password-env/--password-file)");

    Path file = Files.createTempFile(Path.of("target"), "wrong", ".pw");
    Files.writeString(file, SECRET + "\n");
    try {
      assertFails(as(scene.reader, scene.password(), "catalog", "list", "--tenant", "acme", "--user", scene.reader,
          "--password-file", file.toString()), PangolinCli.FORBIDDEN, "pangolin: PostgreSQL refused the login of '"
          + scene.reader + "' (SQLSTATE 28P01: password authentication failed for user \"" + scene.reader + "\");"
          + " check --user and the password in " + file + " (--password-file)");
    } finally {
      Files.delete(file);
    }
    // principal create takes the new principal's password with --password-*, so its own comes by --db-password-*.
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("PANGOLIN_DB_USER", scene.reader);
    env.put("MY_PASSWORD", SECRET);
    assertFails(run(env, "principal", "create", scene.roleName("nobody"), "--db-password-env", "MY_PASSWORD"),
        PangolinCli.FORBIDDEN, "pangolin: PostgreSQL refused the login of '" + scene.reader + "' (SQLSTATE 28P01:"
            + " password authentication failed for user \"" + scene.reader + "\"); check PANGOLIN_DB_USER and the"
            + " password in $MY_PASSWORD (--db-password-env)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"schema migrate", "schema version", "tenant list", "catalog list --tenant acme"})
  void aMissingDatabaseIsOneSentenceWithTheFix(String command) {
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url + "_missing");
    String database = scene.url.substring(scene.url.lastIndexOf('/') + 1) + "_missing";
    String server = scene.url.replaceFirst("^jdbc:postgresql://", "").replaceFirst("/.*$", "");
    assertFails(run(env, command.split(" ")), PangolinCli.NOT_FOUND, "pangolin: Database '" + database + "' does not"
        + " exist on " + server + "; create it (createdb " + database + ", or CREATE DATABASE " + database + " as a"
        + " superuser) and run 'pangolin schema migrate'");
  }

  @Test
  void aDatabaseWithoutTheSchemaSaysToMigrate() {
    Map<String, String> env = TestCatalogs.adminEnvironment(TestPostgres.get().newDatabase());
    assertFails(run(env, "tenant", "list"), PangolinCli.BAD_INPUT,
        "pangolin: Cannot list tenants: the catalog database has no Pangolin schema; run 'pangolin schema migrate'");
  }

  @Test
  void anUnknownOrRefusedArgumentIsNotEchoedAndPrintsNoUsage() {
    assertFails(cli("--password", SECRET), PangolinCli.BAD_INPUT, "pangolin: unknown option(s) [--password] and 1"
        + " unexpected argument(s) (arguments are not echoed; secrets and passwords are read from"
        + " --secret-stdin/-file/-env or --password-stdin/-file/-env, never from the command line)\n"
        + "see 'pangolin --help'");
    assertFails(cli("tenant", "list", "--password=" + SECRET), PangolinCli.BAD_INPUT, "pangolin: unknown option(s)"
        + " [--password] (did you mean '--password-env' or '--password-file'?) (arguments are not echoed; secrets"
        + " and passwords are read from --secret-stdin/-file/-env or --password-stdin/-file/-env, never from the"
        + " command line)\nsee 'pangolin tenant list --help'");
    assertFails(cli("tenant", "create"), PangolinCli.BAD_INPUT,
        "pangolin: Missing required parameter: 'NAME'\nsee 'pangolin tenant create --help'");
  }

  @Test
  void aWordInCommandPositionIsNamedAndNothingElseIs() {
    assertFails(cli("nosuchcmd"), PangolinCli.BAD_INPUT,
        "pangolin: no command 'nosuchcmd'; run 'pangolin --help' for the commands");
    assertFails(cli("nosuchcmd", SECRET), PangolinCli.BAD_INPUT,
        "pangolin: no command 'nosuchcmd'; run 'pangolin --help' for the commands");
    assertFails(cli("tenants"), PangolinCli.BAD_INPUT,
        "pangolin: no command 'tenants' (did you mean 'tenant'?); run 'pangolin --help' for the commands");
    assertFails(cli("tenant", "lst"), PangolinCli.BAD_INPUT,
        "pangolin: no command 'tenant lst' (did you mean 'list'?); run 'pangolin tenant --help' for the commands");
    assertFails(cli("tenant", "list", SECRET), PangolinCli.BAD_INPUT, "pangolin: 1 unexpected argument(s) (arguments"
        + " are not echoed; secrets and passwords are read from --secret-stdin/-file/-env or"
        + " --password-stdin/-file/-env, never from the command line)\nsee 'pangolin tenant list --help'");
  }

  @Test
  void helpAfterAnUnknownWordIsNoHelp() {
    assertFails(cli("serve", "--help"), PangolinCli.BAD_INPUT,
        "pangolin: no command 'serve'; run 'pangolin --help' for the commands");
    assertFails(cli("tenant", "serve", "--version"), PangolinCli.BAD_INPUT,
        "pangolin: no command 'tenant serve'; run 'pangolin tenant --help' for the commands");
    assertThat(cli("tenant", "list", SECRET, "--help").exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(cli("--help").exit()).as("help alone is still help").isZero();
  }

  /** The scene made a catalog, namespaces, tables, grants and a tenant administrator; the trail names them all. */
  @Test
  void theAuditTrailNamesObjectsNotIds() {
    Run audit = cli("audit", "list", "--tenant", "acme", "--limit", "1000");
    assertThat(audit.exit()).as(audit.err()).isZero();
    List<String> rows = audit.out().lines().toList();
    assertThat(rows).anySatisfy(r -> assertThat(r).contains("\tINSERT\tcatalogs\tmain\t-\t{\"warehouse\": \"lake\"}"))
        .anySatisfy(r -> assertThat(r).contains("\tINSERT\tnamespaces\tsales.eu\t-\t{\"catalog\": \"main\"}"))
        .anySatisfy(r -> assertThat(r).contains("\tINSERT\trelations\tsales.orders\t")
            .contains("{\"kind\": \"TABLE\", \"catalog\": \"main\"}"))
        .anySatisfy(r -> assertThat(r).contains("\tGRANT\tgrants\t" + scene.reader + "\t-\t{\"catalog\": \"main\","
            + " \"namespace\": \"sales\", \"privilege\": \"READ\"}"))
        .anySatisfy(r -> assertThat(r).contains("\tGRANT\tgrants\t" + scene.writer + "\t-\t{\"catalog\": \"main\","
            + " \"relation\": \"orders\", \"namespace\": \"sales\", \"privilege\": \"WRITE\"}"))
        .anySatisfy(r -> assertThat(r).contains("\tINSERT\ttenant_admins\t" + scene.adminA + "\t-\t{\"tenant\":"
            + " \"acme\"}"));
    assertThat(audit.out()).doesNotContain("_id\"");
  }
}
