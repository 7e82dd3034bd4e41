package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.AclSceneTest;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.PrincipalBounds;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.security.Secret;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A principal's bounds: set on its role when it is created or adopted, read back from pg_db_role_setting and from
 * the sessions it then opens, and enforced by the server on them.
 */
class PrincipalBoundsTest extends AclSceneTest {

  private static final Map<String, String> DEFAULTS = Map.of("statement_timeout", "1min", "lock_timeout", "10s",
      "idle_in_transaction_session_timeout", "5min", "temp_file_limit", "1GB");

  record Run(int exit, String out, String err) {}

  /** A platform administrator as the CLI makes one (no CREATEROLE: it calls pangolin_role_admin's functions). */
  private String platform;

  @BeforeEach
  void createPlatformAdmin() {
    platform = scene.roleName("bounds_platform");
    superuserApi().createPlatformAdmin(platform, Optional.of(Secret.of(scene.password())));
  }

  private PangolinAdmin superuserApi() {
    return PangolinAdmin.connect(scene.url, TestPostgres.get().user(), Secret.of(TestPostgres.get().password()),
        Optional.empty());
  }

  private Run run(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true), new PrintStream(err, true));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run asSuperuser(String stdin, String... args) {
    return run(TestCatalogs.adminEnvironment(scene.url), stdin, args);
  }

  private Run asPlatform(String... args) {
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("PANGOLIN_DB_USER", platform);
    env.put("PANGOLIN_DB_PASSWORD", scene.password());
    return run(env, "", args);
  }

  private static Run ok(Run r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return r;
  }

  /** The role's settings as stored, for every database (that is what ALTER ROLE ... SET without IN DATABASE makes). */
  private Map<String, String> stored(String role) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = scene.superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT unnest(setconfig) FROM pg_db_role_setting WHERE setdatabase = 0 AND setrole = (SELECT oid FROM"
            + " pg_roles WHERE rolname = '" + role + "')")) {
      while (rs.next()) {
        String[] kv = rs.getString(1).split("=", 2);
        out.put(kv[0], kv[1]);
      }
    }
    return out;
  }

  /** What a fresh login of the role starts with. */
  private Map<String, String> shown(String role) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Connection c = scene.connect(role); Statement s = c.createStatement()) {
      for (String parameter : PrincipalBounds.PARAMETERS) {
        try (ResultSet rs = s.executeQuery("SHOW " + parameter)) {
          rs.next();
          out.put(parameter, rs.getString(1));
        }
      }
    }
    return out;
  }

  private Map<String, String> createdBySuperuser(String name, String... options) {
    String[] args = new String[5 + options.length];
    System.arraycopy(new String[] {"principal", "create", name, "--password-env", "NEW_PASSWORD"}, 0, args, 0, 5);
    System.arraycopy(options, 0, args, 5, options.length);
    Map<String, String> env = TestCatalogs.adminEnvironment(scene.url);
    env.put("NEW_PASSWORD", scene.password());
    Run r = ok(run(env, "", args));
    assertThat(r.err()).isEmpty();
    return Map.of("out", r.out());
  }

  @Test
  void aPrincipalCreatedByTheSuperuserHasTheDefaultBoundsStoredAndInItsSessions() throws Exception {
    String engine = scene.roleName("engine");
    assertThat(createdBySuperuser(engine).get("out")).contains("Created principal " + engine + " with a password",
        "Bounds of " + engine + ": statement_timeout=1min lock_timeout=10s idle_in_transaction_session_timeout=5min"
            + " temp_file_limit=1GB (from its next login)");

    assertThat(stored(engine)).isEqualTo(DEFAULTS);
    assertThat(shown(engine)).isEqualTo(DEFAULTS);
    assertThat(ok(asSuperuser("", "principal", "show", engine)).out()).isEqualTo(String.join("\n",
        "statement_timeout=1min", "lock_timeout=10s", "idle_in_transaction_session_timeout=5min",
        "temp_file_limit=1GB", ""));
    assertThat(scene.admin(platform).roleSettings(engine)).isEqualTo(DEFAULTS);
  }

  @Test
  void theBoundsDoNotBreakTheEnginesCommitsAndItsSwapStillSetsItsOwnLimits() throws Exception {
    String engine = scene.roleName("engine");
    createdBySuperuser(engine);
    scene.admin(scene.adminA).grant(engine, Privilege.READ, ObjectRef.catalog("acme", "main"));
    scene.admin(scene.adminA).grant(engine, Privilege.WRITE, ObjectRef.catalog("acme", "main"));
    try (PangolinCatalog catalog = scene.openAs("acme", engine)) {
      Table orders = catalog.loadTable(TableIdentifier.of("sales", "orders"));
      orders.newAppend().appendFile(TestTables.dataFile(orders, "rows")).commit();
      assertThat(catalog.loadTable(TableIdentifier.of("sales", "orders")).currentSnapshot()).isNotNull();
    }
    // A transaction's own SET LOCAL, as the pointer swap sends, still wins over the role's value.
    try (Connection c = scene.connect(engine); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SELECT set_config('statement_timeout', '15s', true)");
      try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("15s");
      }
      c.rollback();
      try (ResultSet rs = s.executeQuery("SHOW statement_timeout")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("1min");
      }
    }
  }

  @Test
  void optionsOverrideTheDefaultsAndAStatementOverTheBoundIsCancelled() throws Exception {
    String tight = scene.roleName("tight");
    createdBySuperuser(tight, "--statement-timeout", "300ms", "--lock-timeout", "0",
        "--idle-in-transaction-timeout", "none", "--temp-file-limit", "512MB");

    assertThat(stored(tight)).isEqualTo(Map.of("statement_timeout", "300ms", "lock_timeout", "0",
        "temp_file_limit", "512MB"));
    assertThat(shown(tight)).containsEntry("statement_timeout", "300ms").containsEntry("lock_timeout", "0")
        .containsEntry("temp_file_limit", "512MB");
    assertThat(ok(asSuperuser("", "principal", "show", tight)).out())
        .contains("idle_in_transaction_session_timeout=(not set)\n");

    try (Connection c = scene.connect(tight); Statement s = c.createStatement()) {
      s.execute("SELECT pg_sleep(0.05)");
      assertThatThrownBy(() -> s.execute("SELECT pg_sleep(5)")).isInstanceOfSatisfying(SQLException.class,
          e -> assertThat(e.getSQLState()).isEqualTo(SqlErrors.QUERY_CANCELED))
          .hasMessageContaining("statement timeout");
    }

    ok(asSuperuser("", "principal", "bounds", tight, "--statement-timeout", "2min"));
    assertThat(stored(tight)).isEqualTo(Map.of("statement_timeout", "2min", "lock_timeout", "0",
        "temp_file_limit", "512MB"));
    try (Connection c = scene.connect(tight); Statement s = c.createStatement()) {
      s.execute("SELECT pg_sleep(0.5)");
    }
  }

  @Test
  void aPlatformAdministratorSetsEveryBoundTempFileLimitIncluded() throws Exception {
    // pangolin_role_admin, which sets them, holds SET on temp_file_limit (V13): no bound is left to a superuser.
    String engine = scene.roleName("engine");
    Run made = ok(asPlatform("principal", "create", engine));
    assertThat(made.out()).contains("Bounds of " + engine + ": statement_timeout=1min lock_timeout=10s"
        + " idle_in_transaction_session_timeout=5min temp_file_limit=1GB (from its next login)");
    assertThat(made.err()).isEmpty();
    assertThat(stored(engine)).isEqualTo(DEFAULTS);
    assertThat(shown(engine)).isEqualTo(DEFAULTS);
    ok(asPlatform("principal", "bounds", engine, "--temp-file-limit", "512MB"));
    assertThat(stored(engine)).containsEntry("temp_file_limit", "512MB");
  }

  @Test
  void adoptionSetsTheBoundsAndNamesThoseTheCallerMayNotSet() throws Exception {
    String iam = scene.roleName("iam");
    scene.superuser("CREATE ROLE " + iam + " LOGIN PASSWORD '" + scene.password() + "'");
    ok(asSuperuser("", "principal", "create", iam, "--existing", "--statement-timeout", "45s"));
    assertThat(stored(iam)).containsEntry("statement_timeout", "45s").containsEntry("lock_timeout", "10s")
        .containsEntry("idle_in_transaction_session_timeout", "5min").containsEntry("temp_file_limit", "1GB");
    assertThat(shown(iam)).containsEntry("statement_timeout", "45s");

    // A role pangolin_role_admin neither created nor was given ADMIN OPTION on (a superuser's adoption gives it that)
    // is not its to alter (PostgreSQL 16 and later): adopted, and every bound named with its statement, none silently
    // dropped.
    String foreign = scene.roleName("foreign");
    scene.superuser("CREATE ROLE " + foreign + " LOGIN");
    PrincipalBounds.Applied applied = scene.admin(platform).adoptPrincipal(foreign);
    assertThat(applied.set()).isEmpty();
    assertThat(applied.notSet()).extracting(PrincipalBounds.NotSet::parameter)
        .containsExactlyElementsOf(PrincipalBounds.PARAMETERS);
    assertThat(applied.notSet()).allSatisfy(n -> assertThat(n.statement()).startsWith("ALTER ROLE \"" + foreign
        + "\" SET " + n.parameter() + " = '"));
    assertThat(stored(foreign)).isEmpty();
    try (Connection c = scene.superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT pg_has_role('" + foreign + "', 'pangolin_principal', 'MEMBER')")) {
      rs.next();
      assertThat(rs.getBoolean(1)).isTrue();
    }
  }

  @Test
  void theJavaApiTakesBoundsAndLeavesEmptyOnesUnset() throws Exception {
    String engine = scene.roleName("api_engine");
    PangolinAdmin superuser = superuserApi();
    PrincipalBounds bounds = PrincipalBounds.DEFAULTS.withStatementTimeout(Optional.of(Duration.ofSeconds(90)))
        .withTempFileLimitKb(OptionalLong.empty());
    PrincipalBounds.Applied applied = superuser.createPrincipal(engine, Optional.of(Secret.of(scene.password())),
        bounds);
    assertThat(applied.notSet()).isEmpty();
    assertThat(applied.set()).containsExactly(Map.entry("statement_timeout", "90s"), Map.entry("lock_timeout", "10s"),
        Map.entry("idle_in_transaction_session_timeout", "5min"));
    assertThat(stored(engine)).isEqualTo(applied.set());

    assertThatThrownBy(() -> PrincipalBounds.DEFAULTS.withLockTimeout(Optional.of(Duration.ofSeconds(-1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lock_timeout");
    assertThatThrownBy(() -> PrincipalBounds.DEFAULTS.withTempFileLimitKb(OptionalLong.of(-2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temp_file_limit");
  }

  @Test
  void badBoundsAreRefusedBeforeAnyRoleIsMade() throws Exception {
    String name = scene.roleName("never");
    Run bad = asSuperuser("", "principal", "create", name, "--statement-timeout", "soon");
    assertThat(bad.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(bad.err()).contains("Invalid --statement-timeout 'soon'");
    Run badSize = asSuperuser("", "principal", "create", name, "--temp-file-limit", "lots");
    assertThat(badSize.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(badSize.err()).contains("Invalid --temp-file-limit 'lots'");
    Run group = asSuperuser("", "principal", "create", name, "--group", "--lock-timeout", "1s");
    assertThat(group.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(group.err()).contains("a role's settings do not reach its members");
    assertThat(asSuperuser("", "principal", "bounds", name).exit()).isEqualTo(PangolinCli.BAD_INPUT);
    try (Connection c = scene.superuser(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + name + "'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
    assertThat(List.of(asSuperuser("", "principal", "show", name).exit())).containsExactly(PangolinCli.NOT_FOUND);
  }
}
