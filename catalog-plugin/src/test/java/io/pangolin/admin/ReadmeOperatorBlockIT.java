package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's operator commands, run with bash as they stand in README.md, so the README cannot drift from what
 * the build produces: the block that fetches the engine jars, then the block that sets up a tenant, a warehouse
 * and a catalog and checks the warehouse. Only the database login, the S3 endpoint and the secret are replaced,
 * with a real PostgreSQL and a real S3 server that checks signatures.
 */
class ReadmeOperatorBlockIT {

  private static final String ACCESS_KEY = "AKIAEXAMPLE";
  private static final String SECRET = "readme-block-secret-value";

  record Run(int exit, String output) {}

  @Test
  void theReadmeOperatorBlockWorksAsWritten() throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("pangolin.repo", ".."), "README.md"));
    Path dir = freshDirectory(Path.of("target", "readme-operator-block").toAbsolutePath());
    Path jar = PangolinCliJarIT.pluginJar();
    Files.copy(jar, dir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);

    Run fetch = bash(dir, block(readme, "engine-jars-block"),
        Map.of("MAVEN_OPTS", "-Dmaven.repo.local=" + System.getProperty("pangolin.m2")));
    assertThat(fetch.exit()).as(fetch.output()).isZero();
    for (String name : EngineJars.classPath()) {
      assertThat(dir.resolve(name)).as("the check's class path names jars the README fetches").isRegularFile();
    }

    try (TestS3 s3 = TestS3.start(ACCESS_KEY, SECRET)) {
      s3.createBucket("lake-bucket");
      String url = TestPostgres.get().newDatabase();
      Map<String, String> replacements = new LinkedHashMap<>();
      replacements.put("jdbc:postgresql://db:5432/pangolin", url);
      replacements.put("PANGOLIN_DB_USER=pangolin", "PANGOLIN_DB_USER=" + TestPostgres.get().user());
      replacements.put("PANGOLIN_DB_PASSWORD=...", "PANGOLIN_DB_PASSWORD=" + TestPostgres.get().password());
      replacements.put("LAKE_SECRET_ACCESS_KEY=...", "LAKE_SECRET_ACCESS_KEY=" + SECRET);
      replacements.put("https://s3.example.com", s3.endpoint());
      String block = block(readme, "operator-block");
      for (Map.Entry<String, String> r : replacements.entrySet()) {
        assertThat(block).as("the README's operator block still contains " + r.getKey()).contains(r.getKey());
        block = block.replace(r.getKey(), r.getValue());
      }

      Run setup = bash(dir, block, Map.of());
      assertThat(setup.exit()).as(setup.output()).isZero();
      assertThat(setup.output()).contains("Schema is at version", "Created tenant demo",
          "Created warehouse demo/lake", "Created catalog demo/lake", "ok: wrote s3://lake-bucket/warehouse/",
          "Warehouse demo/lake works.", "endpoint=" + s3.endpoint(), "path-style-access=true",
          "checksum-mode=when-required", "region=eu-west-1", "secret access key: ***");
      assertThat(setup.output()).as("quiet: no library log lines, no SLF4J notices")
          .doesNotContain("INFO", "SLF4J", "flywaydb", "WARN").doesNotContain(SECRET);

      Run withoutEngineJars = bash(dir, "java -jar " + jar.getFileName() + " warehouse check --tenant demo lake",
          env(url));
      assertThat(withoutEngineJars.exit()).isEqualTo(PangolinCli.NEEDS_ENGINE_JARS);
      assertThat(withoutEngineJars.output()).as("plain java -jar prints the README's command")
          .contains(readmeCheckCommand(readme));
    }
  }

  /** The fenced block that follows the HTML comment starting with {@code <!-- marker:}. */
  static String block(String readme, String marker) {
    int at = readme.indexOf("<!-- " + marker + ":");
    assertThat(at).as("README.md marks a block with <!-- " + marker + ": ... -->").isNotNegative();
    int start = readme.indexOf("```\n", at) + 4;
    return readme.substring(start, readme.indexOf("\n```", start)) + "\n";
  }

  /** The README's 'java -cp ... warehouse check' line, continuation joined. */
  private static String readmeCheckCommand(String readme) {
    String joined = block(readme, "operator-block").replaceAll("\\\\\n\\s*", "");
    return joined.lines().filter(l -> l.startsWith("java -cp ")).findFirst().orElseThrow()
        .replaceAll(" --tenant .*", "");
  }

  private static Map<String, String> env(String url) {
    return Map.of("PANGOLIN_DB_URI", url, "PANGOLIN_DB_USER", TestPostgres.get().user(), "PANGOLIN_DB_PASSWORD",
        TestPostgres.get().password(), "PANGOLIN_MASTER_KEY", io.pangolin.testing.TestKeys.MASTER_KEY);
  }

  private static Run bash(Path dir, String script, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
        .directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    // The engine's own java first, so the block's 'java' is the one this build tests with.
    builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":"
        + System.getenv("PATH"));
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  private static Path freshDirectory(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    return Files.createDirectories(dir);
  }
}
