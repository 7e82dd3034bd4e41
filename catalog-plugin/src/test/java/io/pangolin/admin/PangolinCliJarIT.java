package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The admin command line as operators run it: {@code java -jar} on the shaded plugin jar and nothing else. */
class PangolinCliJarIT {

  record Run(int exit, String output) {}

  /** The shaded jar the build just packaged; the failsafe configuration names it. */
  static Path pluginJar() {
    Path jar = Path.of(System.getProperty("pangolin.jar", "target/pangolin-catalog.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No plugin jar at " + jar + ": run this test with 'mvn verify'");
    }
    return jar;
  }

  private static Run javaJar(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(pluginJar().toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  @Test
  void runsFromThePluginJarAlone() throws Exception {
    Run help = javaJar(Map.of(), "--help");
    assertThat(help.exit()).as(help.output()).isZero();
    assertThat(help.output()).contains("Usage: pangolin", "warehouse", "tenant");

    String url = TestPostgres.get().newDatabase();
    Map<String, String> env = Map.of("PANGOLIN_DB_URI", url, "PANGOLIN_DB_USER", TestPostgres.get().user(),
        "PANGOLIN_DB_PASSWORD", TestPostgres.get().password(), "PANGOLIN_MASTER_KEY", TestKeys.MASTER_KEY,
        "S3_SECRET", "jar-secret");
    assertThat(javaJar(env, "schema", "migrate").output())
        .contains("Schema is at version " + SchemaMigrator.LATEST_VERSION);
    assertThat(javaJar(env, "tenant", "create", "acme").exit()).isZero();
    Run duplicate = javaJar(env, "tenant", "create", "acme");
    assertThat(duplicate.exit()).isEqualTo(PangolinCli.CONFLICT);
    Run warehouse = javaJar(env, "warehouse", "create", "--tenant", "acme", "lake", "--root", "s3://b/w",
        "--credentials", "static", "--access-key-id", "AKIAJAR", "--secret-env", "S3_SECRET");
    assertThat(warehouse.exit()).as(warehouse.output()).isZero();
    assertThat(javaJar(env, "warehouse", "show", "--tenant", "acme", "lake").output())
        .contains("secret access key: ***").doesNotContain("jar-secret");

    Run check = javaJar(env, "warehouse", "check", "--tenant", "acme", "lake");
    assertThat(check.exit()).as(check.output()).isEqualTo(PangolinCli.NEEDS_ENGINE_JARS);
    assertThat(check.output()).contains("iceberg-aws-bundle");
    Run gc = javaJar(env, "gc", "--tenant", "acme");
    assertThat(gc.exit()).as(gc.output()).isEqualTo(PangolinCli.NEEDS_ENGINE_JARS);
    assertThat(gc.output()).contains("iceberg-aws-bundle", "io.pangolin.admin.PangolinCli gc --tenant acme");
    assertThat(new File(pluginJar().toString())).exists();
  }
}
