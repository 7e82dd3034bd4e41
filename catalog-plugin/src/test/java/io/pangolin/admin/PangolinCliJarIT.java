package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import io.pangolin.warehouse.CredentialType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin command line as operators run it without the distribution's launcher: {@code java -jar} on the shaded
 * plugin jar and nothing else, so no Iceberg, AWS SDK or SLF4J class. Every command picocli knows runs that way
 * against a real, migrated database holding what it works on; the database commands must work, and the storage
 * commands must say which engine jars they need and how to get them.
 */
class PangolinCliJarIT {

  /** The commands that reach a warehouse's storage, and so need the engine jars: exit code 6 without them. */
  private static final Set<String> STORAGE_COMMANDS = Set.of("warehouse check", "gc");

  private static final List<String> CLASS_LOADING_FAILURES =
      List.of("NoClassDefFoundError", "ClassNotFoundException", "NoClassDefFound");

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");
  private static final TableIdentifier RETURNS = TableIdentifier.of("sales", "returns");

  record Run(int exit, String output) {}

  @TempDir Path tmp;

  /** The shaded jar the build just packaged; the failsafe configuration names it. */
  static Path pluginJar() {
    Path jar = Path.of(System.getProperty("pangolin.jar", "target/pangolin-catalog.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No plugin jar at " + jar + ": run this test with 'mvn verify'");
    }
    return jar;
  }

  /**
   * Arguments for every command, keyed by its path, run in this order (each list is one run): plausible ones that
   * succeed against {@link #fixture}. A command added to the command line without an entry here fails
   * {@link #everyCommandRunsFromThePluginJarAlone}.
   */
  private Map<String, List<List<String>>> arguments(String role) {
    Map<String, List<List<String>>> runs = new LinkedHashMap<>();
    String key = tmp.resolve("tenant.key").toString();
    add(runs, "schema migrate");
    add(runs, "schema version");
    add(runs, "platform set-file-root", "file:" + tmp.resolve("files"));
    add(runs, "platform show");
    add(runs, "tenant create", "other");
    add(runs, "tenant list");
    add(runs, "key generate", "--out", key);
    add(runs, "key reseal", "--tenant", "other", "--to-key-file", key);
    add(runs, "key status");
    add(runs, "warehouse create", "--tenant", "acme", "lake2", "--root", "s3://jar-bucket/warehouse", "--endpoint",
        "http://127.0.0.1:9", "--path-style-access", "--checksum-mode", "when-required", "--credentials", "static",
        "--access-key-id", "AKIAJAR", "--secret-env", "S3_SECRET");
    add(runs, "warehouse list", "--tenant", "acme");
    add(runs, "warehouse show", "--tenant", "acme", "lake2");
    add(runs, "warehouse update", "--tenant", "acme", "lake2", "--region", "eu-west-1");
    add(runs, "warehouse set-credentials", "--tenant", "acme", "lake2", "--credentials", "static",
        "--access-key-id", "AKIAJAR2", "--secret-env", "S3_SECRET");
    add(runs, "warehouse check", "--tenant", "acme", "lake");
    add(runs, "catalog create", "--tenant", "acme", "cat2", "--warehouse", "lake2");
    add(runs, "catalog list", "--tenant", "acme");
    add(runs, "catalog update", "--tenant", "acme", "cat2", "--drop-retention", "0s");
    add(runs, "namespace list", "--tenant", "acme", "--catalog", "cat");
    add(runs, "table list", "--tenant", "acme", "--catalog", "cat");
    add(runs, "table list", "--tenant", "acme", "--catalog", "cat", "--dropped");
    add(runs, "table undrop", "--tenant", "acme", "--catalog", "cat", "sales.returns");
    add(runs, "principal create", role, "--password-env", "NEW_PASSWORD");
    add(runs, "principal list");
    add(runs, "principal show", role);
    add(runs, "principal bounds", role, "--statement-timeout", "2min");
    add(runs, "grant", "READ,CREATE_BRANCH", "--to", role, "--tenant", "acme", "--catalog", "cat");
    add(runs, "grants show", "--principal", role);
    add(runs, "grants show", "--tenant", "acme", "--catalog", "cat", "--namespace", "sales", "--table", "orders");
    add(runs, "revoke", "CREATE_BRANCH", "--from", role, "--tenant", "acme", "--catalog", "cat");
    add(runs, "tenant admin add", "--tenant", "acme", role);
    add(runs, "tenant admin remove", "--tenant", "acme", role);
    add(runs, "branch create", "dev", "--tenant", "acme", "--catalog", "cat");
    add(runs, "branch create", "part", "--namespace", "sales", "--tenant", "acme", "--catalog", "cat");
    add(runs, "branch list", "--tenant", "acme", "--catalog", "cat");
    add(runs, "tag create", "v1", "--from", "dev", "--tenant", "acme", "--catalog", "cat");
    add(runs, "tag delete", "v1", "--tenant", "acme", "--catalog", "cat");
    add(runs, "branch merge", "dev", "--into", "main", "--tenant", "acme", "--catalog", "cat");
    add(runs, "branch delete", "part", "--tenant", "acme", "--catalog", "cat");
    add(runs, "audit list", "--tenant", "acme", "--limit", "5");
    add(runs, "gc", "--tenant", "acme");
    add(runs, "gc", "--tenant", "acme", "--catalog", "cat", "--dry-run");
    add(runs, "catalog delete", "--tenant", "acme", "cat2");
    add(runs, "warehouse delete", "--tenant", "acme", "lake2");
    add(runs, "tenant delete", "other");
    add(runs, "principal drop", role);
    add(runs, "platform clear-file-root");
    return runs;
  }

  private static void add(Map<String, List<List<String>>> runs, String command, String... args) {
    runs.computeIfAbsent(command, c -> new ArrayList<>()).add(List.of(args));
  }

  @Test
  void everyCommandRunsFromThePluginJarAlone() throws Exception {
    String url = fixture();
    String role = "jar_reader_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    Map<String, List<List<String>>> runs = arguments(role);
    assertThat(runs.keySet()).as("every command of the command line needs arguments in arguments(): add one there")
        .containsExactlyInAnyOrderElementsOf(PangolinCli.leafCommands());

    Map<String, String> env = environment(url);
    for (Map.Entry<String, List<List<String>>> command : runs.entrySet()) {
      for (List<String> args : command.getValue()) {
        List<String> line = new ArrayList<>(List.of(command.getKey().split(" ")));
        line.addAll(args);
        Run run = javaJar(env, line);
        String what = "java -jar " + String.join(" ", line) + " (exit " + run.exit() + "):\n" + run.output();
        assertThat(run.output()).as(what).doesNotContain(CLASS_LOADING_FAILURES)
            .doesNotContain(env.get("S3_SECRET"), env.get("NEW_PASSWORD"));
        if (STORAGE_COMMANDS.contains(command.getKey())) {
          assertThat(run.exit()).as(what).isEqualTo(PangolinCli.NEEDS_ENGINE_JARS);
          assertThat(run.output()).as(what).contains("not on the class path: ", "iceberg-aws-bundle-",
              "slf4j-api-", "Put them beside the plugin jar, in " + pluginJar().toAbsolutePath().getParent(),
              "maven-dependency-plugin:3.8.1:copy -Dartifact=org.apache.iceberg:iceberg-aws-bundle:",
              "https://repo1.maven.org/maven2/", "java -cp " + pluginJar().getFileName() + ":",
              "io.pangolin.admin.PangolinCli " + command.getKey() + " --tenant acme");
        } else {
          assertThat(run.exit()).as(what).isZero();
        }
      }
    }
  }

  /** The change that went wrong in issue 20: a merge run from the jar alone publishes the branch's table on main. */
  @Test
  void branchMergeFromThePluginJarAlonePublishesTheBranch() throws Exception {
    String url = fixture();
    Map<String, String> env = environment(url);
    assertThat(javaJar(env, List.of("branch", "create", "feature", "--tenant", "acme", "--catalog", "cat")).exit())
        .isZero();
    TableIdentifier added = TableIdentifier.of("sales", "added_on_feature");
    try (PangolinCatalog feature = open(url, "feature")) {
      feature.createTable(added, TestTables.SCHEMA);
    }
    try (PangolinCatalog main = open(url, "main")) {
      assertThat(main.tableExists(added)).as("not on main before the merge").isFalse();
    }

    Run merge = javaJar(env, List.of("branch", "merge", "feature", "--into", "main", "--tenant", "acme", "--catalog",
        "cat"));
    assertThat(merge.exit()).as(merge.output()).isZero();
    assertThat(merge.output()).contains("Merged branch feature into main in catalog acme/cat")
        .doesNotContain(CLASS_LOADING_FAILURES);
    try (PangolinCatalog main = open(url, "main")) {
      assertThat(main.tableExists(added)).as("on main after the merge").isTrue();
    }
    assertThat(javaJar(env, List.of("table", "list", "--tenant", "acme", "--catalog", "cat")).output())
        .contains("sales.added_on_feature\ttable");

    // A refusal comes back the same way: Pangolin's own exception, exit code 7, no engine class needed.
    String reader = "jar_merger_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    assertThat(javaJar(env, List.of("principal", "create", reader, "--password-env", "NEW_PASSWORD")).exit())
        .isZero();
    try {
      javaJar(env, List.of("grant", "READ", "--to", reader, "--tenant", "acme", "--catalog", "cat"));
      javaJar(env, List.of("branch", "create", "again", "--tenant", "acme", "--catalog", "cat"));
      Map<String, String> asReader = new HashMap<>(env);
      asReader.put("PANGOLIN_DB_USER", reader);
      asReader.put("PANGOLIN_DB_PASSWORD", env.get("NEW_PASSWORD"));
      Run refused = javaJar(asReader, List.of("branch", "merge", "again", "--into", "main", "--tenant", "acme",
          "--catalog", "cat"));
      assertThat(refused.exit()).as(refused.output()).isEqualTo(PangolinCli.FORBIDDEN);
      assertThat(refused.output()).contains("principal '" + reader + "'", "MERGE")
          .doesNotContain(CLASS_LOADING_FAILURES);
    } finally {
      javaJar(env, List.of("principal", "drop", reader));
    }
  }

  @Test
  void helpAndVersionFromThePluginJarAlone() throws Exception {
    Run help = javaJar(Map.of(), List.of("--help"));
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: pangolin", "warehouse", "tenant", "branch");
    Run version = javaJar(Map.of(), List.of("--version"));
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output()).startsWith("pangolin ");
  }

  /**
   * A migrated database with tenant acme, its file: warehouse lake and catalog cat, namespace sales with table
   * orders, and table returns dropped (for undrop). Made in this JVM, which has Iceberg.
   */
  private String fixture() throws Exception {
    String url = TestCatalogs.migratedDatabase();
    Path files = Files.createDirectories(tmp.resolve("files"));
    TestCatalogs.allowFileRoot(url, "file:" + files);
    TenantRegistry tenants = TestCatalogs.tenants(url);
    tenants.createTenant("acme");
    tenants.createWarehouse(new NewWarehouse("acme", "lake", "file:" + files.resolve("lake"), List.of(), Map.of(),
        CredentialType.NONE, null, null));
    tenants.createCatalog("acme", "cat", "lake", null, Map.of());
    try (PangolinCatalog main = open(url, "main")) {
      main.createNamespace(Namespace.of("sales"));
      main.createTable(ORDERS, TestTables.SCHEMA);
      main.createTable(RETURNS, TestTables.SCHEMA);
      main.dropTable(RETURNS, false);
    }
    return url;
  }

  private static PangolinCatalog open(String url, String ref) {
    return TestCatalogs.open(url, "acme", "cat", ref);
  }

  private static Map<String, String> environment(String url) {
    Map<String, String> env = new HashMap<>(TestCatalogs.adminEnvironment(url));
    env.put("S3_SECRET", "jar-secret");
    env.put("NEW_PASSWORD", "jar-principal-password");
    return env;
  }

  private static Run javaJar(Map<String, String> env, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Dozens of short runs: the JIT's first tier is all they need.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(pluginJar().toString());
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }
}
