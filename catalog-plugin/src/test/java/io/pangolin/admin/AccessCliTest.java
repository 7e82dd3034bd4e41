package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.AclSceneTest;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The principal, grant and audit commands, run in-process as the logins they are for. No password given to a
 * command ever appears in anything it prints.
 */
class AccessCliTest extends AclSceneTest {

  private final String platformPassword = "pa-" + UUID.randomUUID();
  private final StringBuilder allOutput = new StringBuilder();
  private final List<String> passwords = new java.util.ArrayList<>();
  private String platform;

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void checkPasswords() {
    TestPostgres.get().checkPasswordsOf(PrincipalAdminTest.PASSWORD_CHECKED);
  }

  @BeforeEach
  void createPlatformAdmin() {
    platform = scene.roleName("cli_platform");
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("PA_PASSWORD", platformPassword);
    passwords.add(platformPassword);
    Run made = run(env, "", "principal", "create", platform, "--platform-admin", "--password-env", "PA_PASSWORD");
    assertThat(made.exit()).as(made.err()).isZero();
    assertThat(made.out()).contains("Created platform administrator " + platform + " with a password");
  }

  @AfterEach
  void noPasswordWasEverPrinted() {
    assertThat(passwords).allSatisfy(p -> assertThat(allOutput.toString()).doesNotContain(p));
  }

  private Run run(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true));
    Run r = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    allOutput.append(r.out()).append(r.err());
    return r;
  }

  private Map<String, String> envOf(String user, String password) {
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("PANGOLIN_DB_USER", user);
    env.put("PANGOLIN_DB_PASSWORD", password);
    return env;
  }

  private Run asPlatform(String stdin, String... args) {
    Map<String, String> env = envOf(platform, platformPassword);
    env.put("NEW_PASSWORD", "env-pw-" + platformPassword);
    return run(env, stdin, args);
  }

  private Run as(String role, String... args) {
    return run(envOf(role, scene.password()), "", args);
  }

  private Run ok(Run r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  /** Logs in over TCP with the password, after making the server check it for this role. */
  private void logsInWith(String role, String password) throws SQLException {
    scene.superuser("GRANT " + PrincipalAdminTest.PASSWORD_CHECKED + " TO \"" + role + "\"");
    try (Connection c = DriverManager.getConnection(scene.url, role, password); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT session_user")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(role);
    }
    assertThatThrownBy(() -> DriverManager.getConnection(scene.url, role, password + "-wrong"))
        .hasMessageContaining("password authentication failed");
  }

  @Test
  void principalCreateTakesThePasswordFromStdinAFileOrAnEnvironmentVariable() throws Exception {
    String fromStdin = scene.roleName("stdin_login");
    String stdinPassword = "stdin-pw-" + UUID.randomUUID();
    passwords.add(stdinPassword);
    assertThat(ok(asPlatform(stdinPassword + "\n", "principal", "create", fromStdin, "--password-stdin")).out())
        .contains("Created principal " + fromStdin + " with a password");
    logsInWith(fromStdin, stdinPassword);

    String fromFile = scene.roleName("file_login");
    String filePassword = "file-pw-" + UUID.randomUUID();
    passwords.add(filePassword);
    Path file = Files.createTempFile(Path.of("target"), "principal", ".pw");
    Files.writeString(file, filePassword + "\n");
    ok(asPlatform("", "principal", "create", fromFile, "--password-file", file.toString()));
    Files.delete(file);
    logsInWith(fromFile, filePassword);

    String fromEnv = scene.roleName("env_login");
    passwords.add("env-pw-" + platformPassword);
    ok(asPlatform("", "principal", "create", fromEnv, "--password-env", "NEW_PASSWORD"));
    logsInWith(fromEnv, "env-pw-" + platformPassword);

    Run twoSources = asPlatform("x\n", "principal", "create", scene.roleName("two"), "--password-stdin",
        "--password-env", "NEW_PASSWORD");
    assertThat(twoSources.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(twoSources.err()).contains("at most one way");
    Run unset = asPlatform("", "principal", "create", scene.roleName("unset"), "--password-env", "NOT_SET");
    assertThat(unset.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(unset.err()).contains("NOT_SET named by --password-env is not set");
  }

  @Test
  void aPasswordOnTheCommandLineIsRefusedAndNeverEchoed() throws Exception {
    String bob = scene.roleName("bob");
    String typed = "typed-pw-" + UUID.randomUUID();
    passwords.add(typed);
    for (String[] args : new String[][] {
        {"principal", "create", bob, "--password", typed},
        {"principal", "create", bob, "--password=" + typed},
        {"principal", "create", bob, typed}}) {
      Run refused = asPlatform("", args);
      assertThat(refused.exit()).isEqualTo(PangolinCli.BAD_INPUT);
      assertThat(refused.err()).contains("never from the command line");
    }
    try (Connection c = scene.superuser(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + bob + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void groupsAdoptionListAndDrop() throws Exception {
    String analysts = scene.roleName("analysts");
    String carol = scene.roleName("carol");
    String iam = scene.roleName("iam");
    ok(asPlatform("", "principal", "create", analysts, "--group"));
    ok(asPlatform(scene.password() + "\n", "principal", "create", carol, "--password-stdin", "--member-of", analysts));
    scene.superuser("CREATE ROLE " + iam + " LOGIN");
    Run adopted = ok(asPlatform("", "principal", "create", iam, "--existing"));
    assertThat(adopted.out()).contains("Adopted principal " + iam);
    // Not the platform administrator's to bound: said, with the statement a superuser runs (PrincipalBoundsTest).
    assertThat(adopted.err()).contains("temp_file_limit = 1GB not set on " + iam, "ALTER ROLE \"" + iam + "\"");
    ok(as(scene.adminA, "grant", "READ", "--to", analysts, "--tenant", "acme", "--catalog", "main", "--namespace",
        "sales"));
    try (PangolinCatalog catalog = scene.openAs("acme", carol)) {
      assertThat(catalog.tableExists(TableIdentifier.of("sales", "orders"))).isTrue();
    }
    assertThat(ok(asPlatform("", "principal", "list")).out()).contains(
        carol + "\tlogin\tmember-of=" + analysts + "\ttenant-admin-of=\n",
        analysts + "\tgroup\tmember-of=\ttenant-admin-of=\n",
        iam + "\tlogin\tmember-of=\ttenant-admin-of=\n",
        platform + "\tlogin\tplatform-admin\tmember-of=\ttenant-admin-of=\n");

    ok(asPlatform("", "tenant", "admin", "add", "--tenant", "globex", carol));
    assertThat(ok(asPlatform("", "principal", "list")).out()).contains(carol + "\tlogin\tmember-of=" + analysts
        + "\ttenant-admin-of=globex\n");
    Run self = asPlatform("", "tenant", "admin", "add", "--tenant", "globex", platform);
    assertThat(self.exit()).isEqualTo(PangolinCli.FORBIDDEN);
    assertThat(self.err()).contains("principal '" + platform + "'", "tenant 'globex'");
    assertThat(asPlatform("", "tenant", "admin", "add", "--tenant", "nope", carol).exit())
        .isEqualTo(PangolinCli.NOT_FOUND);

    ok(as(scene.adminA, "grant", "WRITE", "--to", carol, "--tenant", "acme", "--catalog", "main"));
    assertThat(ok(asPlatform("", "principal", "drop", carol)).out()).contains("Dropped principal " + carol);
    assertThat(AclScene.dump(scene.url, List.of("grants", "tenant_admins"))).doesNotContain(carol);
    assertThat(ok(as(scene.adminA, "audit", "list", "--tenant", "acme", "--object", carol)).out())
        .contains("\t" + platform + "\tREVOKE\tgrants\t" + carol + "\t");
    assertThat(asPlatform("", "principal", "drop", carol).exit()).isEqualTo(PangolinCli.NOT_FOUND);
    Run notAllowed = as(scene.reader, "principal", "drop", analysts);
    assertThat(notAllowed.exit()).isEqualTo(PangolinCli.FORBIDDEN);
    Run notAdmin = asPlatform("", "tenant", "admin", "remove", "--tenant", "globex", analysts);
    assertThat(notAdmin.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(notAdmin.err()).contains("is not an administrator of tenant 'globex'");
  }

  @Test
  void grantRevokeAndShowAsATenantAdministratorAndRefusedToAReader() throws Exception {
    String[] orders = {"--tenant", "acme", "--catalog", "main", "--namespace", "sales", "--table", "orders"};
    String[] staff = {"--tenant", "acme", "--catalog", "main", "--namespace", "hr", "--table", "staff"};
    assertThat(ok(as(scene.adminA, concat(new String[] {"grant", "read,WRITE", "--to", scene.reader}, staff))).out())
        .contains("Granted READ on table or view acme/main/hr.staff to " + scene.reader,
            "Granted WRITE on table or view acme/main/hr.staff to " + scene.reader);
    assertThat(ok(as(scene.adminA, "grants", "show", "--principal", scene.reader)).out().lines().toList())
        .hasSize(3).anySatisfy(l -> assertThat(l).startsWith(scene.reader + "\tREAD\tnamespace acme/main/sales\t"
            + scene.adminA + "\t"));
    assertThat(ok(as(scene.adminA, concat(new String[] {"grants", "show"}, orders))).out().lines()
        .map(l -> l.split("\t")[0] + " " + l.split("\t")[1]).toList())
        .containsExactlyInAnyOrder(scene.reader + " READ", scene.writer + " READ", scene.writer + " WRITE");
    assertThat(ok(as(scene.adminA, concat(new String[] {"revoke", "WRITE", "--from", scene.reader}, staff))).out())
        .contains("Revoked WRITE on table or view acme/main/hr.staff from " + scene.reader);
    assertThat(ok(as(scene.adminA, concat(new String[] {"revoke", "WRITE", "--from", scene.reader}, staff))).out())
        .contains("nothing revoked");

    String before = scene.dump();
    Run refused = as(scene.reader, concat(new String[] {"grant", "READ", "--to", scene.writer}, staff));
    assertThat(refused.exit()).isEqualTo(PangolinCli.FORBIDDEN);
    assertThat(refused.err()).contains("principal '" + scene.reader + "'", "MANAGE_GRANTS",
        "table or view acme/main/hr.staff");
    Run unknown = as(scene.adminA, "grant", "READ", "--to", scene.reader, "--tenant", "acme", "--catalog", "main",
        "--namespace", "nope");
    assertThat(unknown.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(unknown.err()).contains("Unknown namespace acme/main/nope");
    Run badPrivilege = as(scene.adminA, concat(new String[] {"grant", "READ,SELECT", "--to", scene.reader}, staff));
    assertThat(badPrivilege.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(badPrivilege.err()).contains("Unknown privilege 'SELECT'");
    assertThat(as(scene.adminA, "grants", "show").exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(scene.dump()).isEqualTo(before);
  }

  @Test
  void auditListFiltersByTenantObjectAndTime() throws Exception {
    String all = ok(as(scene.adminA, "audit", "list", "--tenant", "acme")).out();
    assertThat(all.lines()).isNotEmpty().anyMatch(l -> l.contains("\tsales.orders\t"));
    String sales = ok(as(scene.adminA, "audit", "list", "--tenant", "acme", "--object", "sales")).out();
    assertThat(sales.lines()).isNotEmpty().allMatch(l -> l.split("\t")[4].equals("sales")
        || l.split("\t")[4].startsWith("sales."));
    Instant mark = Instant.now();
    Thread.sleep(5);
    ok(as(scene.adminA, "grant", "DROP", "--to", scene.writer, "--tenant", "acme", "--catalog", "main"));
    assertThat(ok(as(scene.adminA, "audit", "list", "--tenant", "acme", "--since", mark.toString())).out().lines())
        .singleElement().satisfies(l -> assertThat(l).contains("\t" + scene.adminA + "\tGRANT\tgrants\t"
            + scene.writer + "\t-\t", "\"privilege\": \"DROP\""));
    assertThat(ok(as(scene.adminA, "audit", "list", "--tenant", "acme", "--until", mark.toString(), "--limit", "3"))
        .out().lines()).hasSize(3);
    assertThat(ok(as(scene.reader, "audit", "list", "--tenant", "acme")).out()).isEmpty();
    Run other = as(scene.adminB, "audit", "list", "--tenant", "acme");
    assertThat(other.exit()).isEqualTo(PangolinCli.NOT_FOUND);
    assertThat(other.out()).isEmpty();
    assertThat(as(scene.adminA, "audit", "list", "--tenant", "acme", "--since", "yesterday").exit())
        .isEqualTo(PangolinCli.BAD_INPUT);
  }

  @Test
  void theBranchAndGraveyardPrivilegesAreGrantedFromTheCommandLineAndAllowWhatTheyName() throws Exception {
    String[] mainCatalog = {"--tenant", "acme", "--catalog", "main"};
    Run refused = as(scene.writer, concat(new String[] {"branch", "create", "dev"}, mainCatalog));
    assertThat(refused.exit()).isEqualTo(PangolinCli.FORBIDDEN);
    assertThat(refused.err()).contains("CREATE_BRANCH");

    assertThat(ok(as(scene.adminA, concat(new String[] {"grant", "undrop,GC,CREATE_BRANCH,MERGE,DELETE_BRANCH",
        "--to", scene.writer}, mainCatalog))).out().lines().toList()).containsExactly(
        "Granted UNDROP on catalog acme/main to " + scene.writer, "Granted GC on catalog acme/main to " + scene.writer,
        "Granted CREATE_BRANCH on catalog acme/main to " + scene.writer,
        "Granted MERGE on catalog acme/main to " + scene.writer,
        "Granted DELETE_BRANCH on catalog acme/main to " + scene.writer);
    assertThat(ok(as(scene.adminA, "grants", "show", "--principal", scene.writer)).out().lines()
        .map(l -> l.split("\t")[1]).toList())
        .contains("UNDROP", "GC", "CREATE_BRANCH", "MERGE", "DELETE_BRANCH");

    ok(as(scene.writer, concat(new String[] {"branch", "create", "dev"}, mainCatalog)));
    try (PangolinCatalog dev = scene.openAs("acme", scene.writer, "dev")) {
      Table orders = dev.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "dev")).commit();
    }
    assertThat(ok(as(scene.writer, concat(new String[] {"branch", "merge", "dev", "--into", "main"}, mainCatalog)))
        .out()).contains("Merged branch dev into main");
    try (PangolinCatalog main = scene.openAs("acme", scene.writer)) {
      assertThat(main.loadTable(ORDERS).currentSnapshot()).isNotNull();
    }
    ok(as(scene.writer, concat(new String[] {"branch", "delete", "dev"}, mainCatalog)));

    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      catalog.dropTable(TableIdentifier.of("sales", "returns"), false);
    }
    assertThat(ok(as(scene.writer, concat(new String[] {"table", "undrop", "sales.returns"}, mainCatalog))).out())
        .contains("Restored table acme/main sales.returns");

    ok(as(scene.adminA, "catalog", "update", "--tenant", "acme", "main", "--drop-retention", "0s"));
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      catalog.dropTable(TableIdentifier.of("hr", "staff"), true);
    }
    assertThat(ok(as(scene.writer, "gc", "--tenant", "acme", "--catalog", "main")).out())
        .contains("purged\tmain\thr.staff");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
