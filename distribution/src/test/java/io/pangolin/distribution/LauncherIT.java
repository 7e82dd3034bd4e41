package io.pangolin.distribution;

import static io.pangolin.distribution.Installation.baseEnvironment;
import static io.pangolin.distribution.Installation.home;
import static io.pangolin.distribution.Installation.launcher;
import static io.pangolin.distribution.Installation.pangolin;
import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.distribution.Installation.Run;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/pangolin as an operator runs it, from another directory: what it finds (its installation through symlinks,
 * Java, the engine jars), what it passes on (arguments, JVM options, exit codes), a whole set-up with a warehouse
 * check against a real PostgreSQL and an S3 server that checks signatures, and the storage commands' directions
 * when the engine jars are missing. Also the archive: the same tree, with an executable launcher.
 */
class LauncherIT {

  private static final String ACCESS_KEY = "AKIALAUNCHER";
  private static final String SECRET = "launcher-s3-secret";

  @TempDir Path tmp;

  @Test
  void versionAndHelpFromAnotherDirectory() throws Exception {
    Run version = pangolin(tmp, baseEnvironment(), "--version");
    assertThat(version.exit()).as(version.output()).isZero();
    assertThat(version.output()).contains("pangolin " + projectVersion());
    Run help = pangolin(tmp, baseEnvironment(), "--help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: pangolin", "warehouse", "branch", "gc");
  }

  /** A link in a directory on PATH, itself reached through a relative link, still finds lib/ and engine/. */
  @Test
  void throughSymlinks() throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("usr/local/bin"));
    Path link = Files.createSymbolicLink(bin.resolve("pangolin"), launcher());
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createSymbolicLink(elsewhere.resolve("pg"), elsewhere.relativize(link));
    Map<String, String> env = baseEnvironment();
    env.put("PATH", elsewhere + ":" + System.getenv("PATH"));

    // Found on PATH by the shell, as an operator's shell finds it; run by its #! line, not by bash explicitly.
    Run run = Installation.run(List.of("bash", "-c", "pg --version"), tmp, env);
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("pangolin " + projectVersion());
  }

  @Test
  void argumentsPassIntact() throws Exception {
    Path keys = Files.createDirectories(tmp.resolve("dir with spaces"));
    Path key = keys.resolve("it's a *key* $HOME \"quoted\".key");
    Run run = pangolin(tmp, baseEnvironment(), "key", "generate", "--out", key.toString());
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(key).as("written exactly where the argument says").isRegularFile();
    try (Stream<Path> files = Files.list(keys)) {
      assertThat(files).containsExactly(key);
    }

    // A secret typed where it does not belong is refused, and printed neither by the launcher nor the command line.
    Run typo = pangolin(tmp, baseEnvironment(), "tenant", "list", "--password=launcher-typed-secret");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.output()).contains("unknown option(s) [--password]").doesNotContain("launcher-typed-secret");
  }

  /** 'pangolin serve' runs the endpoint on the plugin jar and lib/serve/, never the engine jars. */
  @Test
  void serveRunsTheEndpointWithItsOwnJars() throws Exception {
    Map<String, String> env = baseEnvironment();
    env.put("PANGOLIN_JAVA_OPTS", "-XshowSettings:properties");
    Run help = pangolin(tmp, env, "serve", "--help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: pangolin serve", "--jdbc-url", "--login", "--password-file",
            "--master-key-file", "--port", "--admin-port", "--tls-keystore", "--trusted-proxy",
            home().resolve("lib/serve/pangolin-rest-endpoint-" + projectVersion() + ".jar").toString(),
            home().resolve("lib/pangolin-catalog-" + projectVersion() + ".jar").toString())
        .doesNotContain(home().resolve("engine").toString());

    Run missing = pangolin(tmp, baseEnvironment(), "serve", "--jdbc-url", "jdbc:postgresql://localhost/pangolin",
        "--login", "pangolin_serve");
    assertThat(missing.exit()).as(missing.output()).isEqualTo(2);
    assertThat(missing.output()).contains("Missing required option", "--master-key-file")
        .doesNotContain("Exception");
  }

  @Test
  void javaOptionsAndTheEngineDirectoryReachTheJvm() throws Exception {
    Map<String, String> env = baseEnvironment();
    env.put("PANGOLIN_JAVA_OPTS", "-XshowSettings:properties  -Dlauncher.check=two");
    Run run = pangolin(tmp, env, "--version");
    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output()).contains("launcher.check = two", "pangolin.engine-dir = " + home().resolve("engine"));
  }

  @Test
  void withoutJavaItSaysWhatItNeeds() throws Exception {
    Map<String, String> noJavaHome = baseEnvironment();
    noJavaHome.put("JAVA_HOME", tmp.resolve("no-such-jdk").toString());
    Run wrongHome = pangolin(tmp, noJavaHome, "--version");
    assertThat(wrongHome.exit()).isEqualTo(127);
    assertThat(wrongHome.output()).contains("pangolin needs Java 17 or later: install it or set JAVA_HOME");

    // A PATH with the tools the launcher uses and no java.
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    for (String tool : List.of("dirname", "readlink")) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }
    Map<String, String> noJava = baseEnvironment();
    noJava.remove("JAVA_HOME");
    noJava.put("PATH", bin.toString());
    Run run = Installation.run(List.of(which("bash").toString(), launcher().toString(), "--version"), tmp, noJava);
    assertThat(run.exit()).isEqualTo(127);
    assertThat(run.output()).isEqualToIgnoringNewLines("pangolin needs Java 17 or later: install it or set JAVA_HOME");
  }

  /**
   * The operator's set-up through the launcher: schema, tenant, an S3 warehouse with its own keys, a catalog, then
   * the storage commands with the distribution's engine jars, and with none.
   */
  @Test
  void setsUpAndChecksAWarehouseWithTheDistributionsEngineJars() throws Exception {
    try (TestS3 s3 = TestS3.start(ACCESS_KEY, SECRET)) {
      s3.createBucket("launcher-lake");
      Map<String, String> env = baseEnvironment();
      env.putAll(Map.of("PANGOLIN_DB_URI", TestPostgres.get().newDatabase(), "PANGOLIN_DB_USER",
          TestPostgres.get().user(), "PANGOLIN_DB_PASSWORD", TestPostgres.get().password(), "PANGOLIN_MASTER_KEY",
          TestKeys.MASTER_KEY, "LAKE_SECRET_ACCESS_KEY", SECRET));

      assertThat(ok(env, "schema", "migrate")).contains("Schema is at version");
      assertThat(ok(env, "tenant", "create", "acme")).contains("Created tenant acme");
      Run again = pangolin(tmp, env, "tenant", "create", "acme");
      assertThat(again.exit()).as("the command line's exit code passes through: " + again.output()).isEqualTo(4);
      ok(env, "warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://launcher-lake/warehouse",
          "--endpoint", s3.endpoint(), "--path-style-access", "--checksum-mode", "when-required", "--credentials",
          "static", "--access-key-id", ACCESS_KEY, "--secret-env", "LAKE_SECRET_ACCESS_KEY");
      ok(env, "catalog", "create", "--tenant", "acme", "lake", "--warehouse", "lake");

      String check = ok(env, "warehouse", "check", "--tenant", "acme", "lake");
      assertThat(check).contains("ok: wrote s3://launcher-lake/warehouse/", "Warehouse acme/lake works.")
          .as("quiet: no library log lines").doesNotContain("SLF4J", "INFO", "WARN");
      assertThat(ok(env, "gc", "--tenant", "acme")).contains("0 dropped table(s) or view(s) due");

      Path empty = Files.createDirectories(tmp.resolve("no engine jars"));
      env.put("PANGOLIN_ENGINE_JARS", empty.toString());
      Set<String> shipped = fileNames(home().resolve("engine"));
      for (List<String> command : List.of(List.of("warehouse", "check", "--tenant", "acme", "lake"),
          List.of("gc", "--tenant", "acme"))) {
        Run run = pangolin(tmp, env, command.toArray(String[]::new));
        assertThat(run.exit()).as(run.output()).isEqualTo(6);
        assertThat(run.output()).contains("Put them in " + empty + " (the engine directory",
                "-DoutputDirectory='" + empty + "'", "Then run the command again.")
            .doesNotContain("NoClassDefFound", "ClassNotFoundException", SECRET);
        assertThat(missingJars(run.output())).as("the jars it asks for are the ones the distribution ships")
            .isEqualTo(shipped);
      }
    }
  }

  /** The archive holds the unpacked tree under pangolin-VERSION/, the launcher executable, and runs unpacked. */
  @Test
  void theArchiveIsTheSameTreeWithAnExecutableLauncher() throws Exception {
    Path archive = Path.of(System.getProperty("pangolin.archive", "target/pangolin.tar.gz")).toAbsolutePath();
    String top = "pangolin-" + projectVersion() + "/";
    Run listing = Installation.run(List.of("tar", "-tvzf", archive.toString()), tmp, baseEnvironment());
    assertThat(listing.exit()).as(listing.output()).isZero();
    assertThat(listing.output().lines().filter(l -> l.endsWith(" " + top + "bin/pangolin")))
        .singleElement().asString().startsWith("-rwxr-xr-x");

    Run unpack = Installation.run(List.of("tar", "-xzf", archive.toString()), tmp, baseEnvironment());
    assertThat(unpack.exit()).as(unpack.output()).isZero();
    Path unpacked = tmp.resolve(top);
    assertThat(files(unpacked)).isEqualTo(files(home()))
        .contains("bin/pangolin", "lib/pangolin-catalog-" + projectVersion() + ".jar")
        .anyMatch(f -> f.startsWith("engine/iceberg-aws-bundle-"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(unpacked.resolve("bin/pangolin"))))
        .isEqualTo("rwxr-xr-x");
    Run version = Installation.run(List.of(unpacked.resolve("bin/pangolin").toString(), "--version"), tmp,
        baseEnvironment());
    assertThat(version.exit()).as(version.output()).isZero();
  }

  private String ok(Map<String, String> env, String... args) throws Exception {
    Run run = pangolin(tmp, env, args);
    assertThat(run.exit()).as(String.join(" ", args) + ": " + run.output()).isZero();
    return run.output();
  }

  /** The jar names after "not on the class path: " in a storage command's directions. */
  private static Set<String> missingJars(String output) {
    Matcher m = Pattern.compile("not on the class path: (.*)\\.\\n").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return new TreeSet<>(List.of(m.group(1).split(", ")));
  }

  /** The version this build gives the distribution; the failsafe configuration passes it on. */
  private static String projectVersion() {
    return System.getProperty("pangolin.version", "0.1.0-SNAPSHOT");
  }

  private static Set<String> fileNames(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /** Every regular file under {@code root}, relative to it. */
  private static Set<String> files(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static Path which(String tool) {
    return Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable).findFirst()
        .orElseThrow(() -> new IllegalStateException("No " + tool + " in /usr/bin or /bin"));
  }
}
