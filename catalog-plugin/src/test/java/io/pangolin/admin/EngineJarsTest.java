package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the storage commands ask for when the engine jars are missing, with and without the launcher. */
class EngineJarsTest {

  private static final List<EngineJars.Jar> JARS = EngineJars.ofThisJvm().jars();

  @Test
  void theBuildNamesAnIcebergRuntimeTheAwsBundleAndSlf4j() {
    assertThat(JARS).extracting(EngineJars.Jar::artifactId).containsExactly("iceberg-spark-runtime-4.1_2.13",
        "iceberg-aws-bundle", "slf4j-api", "slf4j-simple");
    assertThat(JARS.get(1).url()).isEqualTo("https://repo1.maven.org/maven2/org/apache/iceberg/iceberg-aws-bundle/"
        + JARS.get(1).version() + "/iceberg-aws-bundle-" + JARS.get(1).version() + ".jar");
    assertThat(EngineJars.classPath()).first().asString().startsWith("pangolin-catalog-").endsWith(".jar");
  }

  @Test
  void theTestsClassPathHoldsWhatTheStorageCommandsNeed() {
    assertThat(EngineJars.ofThisJvm().missing()).as("Iceberg, the AWS SDK, SLF4J and a provider (logback here)")
        .isEmpty();
  }

  @Test
  void theLaunchersEngineDirectoryIsWhereTheMissingJarsGo() {
    Path dir = Path.of("/opt/pangolin dist/engine");
    EngineJars jars = new EngineJars("pangolin-catalog-test.jar", JARS, onlyLoadable(JARS.get(0), JARS.get(2)),
        Optional.of(dir), Path.of("/opt/pangolin dist/lib"));
    String howTo = refusal(jars);
    String bundle = JARS.get(1).fileName();
    String simple = JARS.get(3).fileName();
    assertThat(howTo).contains("'pangolin gc'", "not on the class path: " + bundle + ", " + simple + ".",
        "Put them in /opt/pangolin dist/engine (the engine directory", "PANGOLIN_ENGINE_JARS",
        "mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy -Dartifact=" + JARS.get(1).coordinates()
            + " -DoutputDirectory='/opt/pangolin dist/engine'",
        "curl -fL --create-dirs -o '/opt/pangolin dist/engine/" + simple + "' " + JARS.get(3).url(),
        "Then run the command again.");
    assertThat(howTo).doesNotContain(JARS.get(0).fileName(), "java -cp");
  }

  @Test
  void withoutTheLauncherTheyGoBesideThePluginJarAndRunWithJavaCp() {
    EngineJars jars = new EngineJars("pangolin-catalog-test.jar", JARS, onlyLoadable(), Optional.empty(),
        Path.of("/srv/pangolin"));
    String howTo = refusal(jars);
    assertThat(howTo).contains("Put them beside the plugin jar, in /srv/pangolin.",
        "-DoutputDirectory=/srv/pangolin\n", "Then, in /srv/pangolin, run:\n  java -cp pangolin-catalog-test.jar:"
            + String.join(":", JARS.stream().map(EngineJars.Jar::fileName).toList())
            + " io.pangolin.admin.PangolinCli gc --tenant acme --dry-run", "bin/pangolin");
    for (EngineJars.Jar jar : JARS) {
      assertThat(howTo).contains("-Dartifact=" + jar.coordinates(), jar.url());
    }
  }

  /** The README's way: the jars fetched beside the plugin jar, and then run with java -jar by mistake. */
  @Test
  void jarsAlreadyBesideThePluginJarAreNotFetchedAgain(@TempDir Path dir) throws Exception {
    for (EngineJars.Jar jar : JARS) {
      Files.createFile(dir.resolve(jar.fileName()));
    }
    String howTo = refusal(new EngineJars("p.jar", JARS, onlyLoadable(), Optional.empty(), dir));
    assertThat(howTo).contains("They are beside the plugin jar, in " + dir + ", but java -jar reads no class path.",
        "java -cp p.jar:").doesNotContain("mvn -q", "curl");
  }

  @Test
  void aClassMissingWhileRunningIsNamed() {
    EngineJars jars = new EngineJars("p.jar", JARS, name -> true, Optional.of(Path.of("/e")), Path.of("/l"));
    MissingEngineJarsException e = jars.missingWhileRunning(
        new NoClassDefFoundError("org/apache/iceberg/io/FileIO"), "pangolin warehouse check", "warehouse check x");
    assertThat(e).hasMessageContaining("org/apache/iceberg/io/FileIO").hasMessageContaining("Put them in /e");
  }

  @Test
  void nothingMissingNothingRefused() {
    new EngineJars("p.jar", JARS, name -> true, Optional.empty(), Path.of("/l")).require("pangolin gc", "gc");
  }

  @Test
  void wordsAreQuotedForTheShellOnlyWhenTheyMustBe() {
    assertThat(EngineJars.quoted("/opt/pangolin/engine")).isEqualTo("/opt/pangolin/engine");
    assertThat(EngineJars.quoted("/a b/it's")).isEqualTo("'/a b/it'\\''s'");
  }

  private static String refusal(EngineJars jars) {
    MissingEngineJarsException e = catchThrowableOfType(MissingEngineJarsException.class,
        () -> jars.require("pangolin gc", "gc --tenant acme --dry-run"));
    assertThat(e).as("refused").isNotNull();
    assertThat(PangolinCli.exitCode(e)).isEqualTo(PangolinCli.NEEDS_ENGINE_JARS);
    return e.getMessage();
  }

  private static Predicate<String> onlyLoadable(EngineJars.Jar... present) {
    Set<String> probes = Arrays.stream(present).map(EngineJars.Jar::probe).collect(Collectors.toSet());
    return probes::contains;
  }
}
