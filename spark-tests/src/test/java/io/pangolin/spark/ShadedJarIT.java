package io.pangolin.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suite is only worth something if Spark runs the jar users install. These checks fail when the plugin
 * comes from a classes directory, or when the jar would clash with what an engine already ships.
 */
class ShadedJarIT {

  private static Path jar;

  @BeforeAll
  static void locateJar() throws Exception {
    // The loader Iceberg's CatalogUtil uses to instantiate catalog-impl.
    Class<?> catalogClass = Class.forName("io.pangolin.catalog.PangolinCatalog", false,
        Thread.currentThread().getContextClassLoader());
    jar = Path.of(catalogClass.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void pluginClassesComeFromThePackagedJar() {
    assertThat(jar).isRegularFile();
    assertThat(jar.getFileName().toString())
        .startsWith("pangolin-catalog-")
        .endsWith(".jar")
        .doesNotEndWith("-tests.jar");
  }

  @Test
  void sessionRunsTheSparkLineOfThisModule() {
    String line = System.getProperty("pangolin.test.spark.line");
    assertThat(line).as("set by the module's failsafe configuration").isNotBlank();
    assertThat(SparkTestEnv.get().spark().version()).startsWith(line + ".");
  }

  @Test
  void sparkLoadsItsCatalogAndTablesFromThatJar() {
    SparkSql.sql("CREATE NAMESPACE IF NOT EXISTS lake.jarcheck");
    SparkSql.sql("CREATE TABLE IF NOT EXISTS lake.jarcheck.t (id BIGINT) USING iceberg");
    Table table = SparkSql.icebergTable("lake.jarcheck.t");
    Object ops = ((HasTableOperations) table).operations();
    assertThat(ops.getClass().getName()).isEqualTo("io.pangolin.catalog.PangolinTableOperations");
    assertThat(codeSource(ops.getClass())).isEqualTo(jar);
    // The driver's table FileIO is the branch-aware wrapper; what travels to executors is the warehouse FileIO.
    assertThat(table.io().getClass().getName()).isEqualTo("io.pangolin.catalog.RefSafeFileIO");
    assertThat(codeSource(table.io().getClass())).isEqualTo(jar);
  }

  @Test
  void theChildJvmClassPathCarriesTheJarAndNoClassesDirectoryOfThePlugin() {
    List<String> entries = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    assertThat(entries).contains(jar.toString());
    assertThat(entries).noneMatch(e -> e.replace('\\', '/').contains("catalog-plugin/target/classes"));
  }

  @Test
  void jarHoldsOnlyPangolinAndRelocatedLibraries() throws IOException {
    List<String> misplaced = new ArrayList<>();
    List<String> engineClasses = new ArrayList<>();
    int relocated = 0;
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : zip.stream().toList()) {
        String name = entry.getName();
        if (name.startsWith("org/apache/iceberg/") || name.startsWith("org/apache/spark/")
            || name.startsWith("org/apache/hadoop/") || name.startsWith("software/amazon/")) {
          engineClasses.add(name);
        }
        if (name.startsWith("io/pangolin/shaded/") && name.endsWith(".class")) {
          relocated++;
        }
        if (!isAllowed(name)) {
          misplaced.add(name);
        }
      }
    }
    assertThat(engineClasses).as("classes the engine brings itself").isEmpty();
    assertThat(misplaced).as("entries outside io/pangolin, META-INF, db/pangolin and db/definitions").isEmpty();
    assertThat(relocated).as("relocated HikariCP, pgjdbc, Flyway and picocli classes").isGreaterThan(100);
  }

  @Test
  void relocatedDriverIsTheOneRegisteredAsAService() throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry services = zip.getEntry("META-INF/services/java.sql.Driver");
      assertThat(services).isNotNull();
      try (InputStream in = zip.getInputStream(services)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertThat(text.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")))
            .containsExactly("io.pangolin.shaded.org.postgresql.Driver");
      }
    }
  }

  /**
   * Only Pangolin's packages (its own and the relocated ones, without the test helpers), the migrations and the
   * repeatable definitions, and resources under META-INF.
   */
  private static boolean isAllowed(String name) {
    if (name.startsWith("io/pangolin/testing/")) {
      return false;
    }
    if (name.startsWith("io/pangolin/") || name.equals("io/")) {
      return true;
    }
    if (name.equals("db/") || name.equals("db/pangolin/") || name.equals("db/definitions/")) {
      return true;
    }
    for (String migrations : new String[] {"db/pangolin/", "db/definitions/"}) {
      if (name.startsWith(migrations)) {
        return name.endsWith(".sql") && name.indexOf('/', migrations.length()) < 0;
      }
    }
    if (name.startsWith("META-INF/")) {
      // A multi-release class of a bundled library must have been relocated too.
      return !name.endsWith(".class") || name.matches("META-INF/versions/\\d+/io/pangolin/shaded/.+");
    }
    return false;
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
