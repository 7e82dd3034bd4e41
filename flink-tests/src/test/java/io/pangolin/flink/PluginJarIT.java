package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.table.catalog.Catalog;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.IcebergBuild;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Flink tests are only worth something if Flink runs the jar users install, next to the Iceberg release
 * users run Flink with. These checks fail when the plugin comes from a classes directory or when the engine side
 * is not the one meant.
 */
class PluginJarIT {

  private static FlinkSql flink;

  @BeforeAll
  static void start() {
    flink = FlinkSql.batch(LakeEnv.get());
  }

  @AfterAll
  static void stop() {
    flink.close();
  }

  @Test
  void pangolinCatalogComesFromThePackagedJar() throws Exception {
    Class<?> catalogClass = Class.forName("io.pangolin.catalog.PangolinCatalog", false,
        Thread.currentThread().getContextClassLoader());
    Path jar = codeSource(catalogClass);
    assertThat(jar).isRegularFile();
    assertThat(jar.getFileName().toString())
        .startsWith("pangolin-catalog-")
        .endsWith(".jar")
        .doesNotEndWith("-tests.jar");
    // The shaded pool and driver come from the same file, relocated.
    assertThat(codeSource(Class.forName("io.pangolin.shaded.com.zaxxer.hikari.HikariDataSource"))).isEqualTo(jar);
    assertThat(codeSource(Class.forName("io.pangolin.shaded.org.postgresql.Driver"))).isEqualTo(jar);

    List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    assertThat(classPath).noneMatch(e -> e.replace('\\', '/').contains("catalog-plugin/target/classes"));
  }

  @Test
  void flinkRunsIcebergOneElevenWithTheAwsBundle() throws Exception {
    assertThat(IcebergBuild.version()).startsWith("1.11.");
    assertThat(codeSource(FlinkCatalog.class).getFileName().toString())
        .isEqualTo("iceberg-flink-runtime-1.20-1.11.0.jar");
    assertThat(codeSource(Class.forName("software.amazon.awssdk.services.s3.S3Client")).getFileName().toString())
        .isEqualTo("iceberg-aws-bundle-1.11.0.jar");
  }

  @Test
  void flinksIcebergCatalogLoadsPangolinTablesWithTheWarehouseFileIo() throws Exception {
    flink.execute("CREATE DATABASE IF NOT EXISTS lake.jarcheck");
    flink.execute("CREATE TABLE IF NOT EXISTS lake.jarcheck.t (id BIGINT)");

    Catalog registered = flink.env().getCatalog("lake").orElseThrow();
    assertThat(registered).isInstanceOf(FlinkCatalog.class);
    Table table = ((FlinkCatalog) registered).catalog().loadTable(TableIdentifier.of("jarcheck", "t"));
    Object ops = ((HasTableOperations) table).operations();
    assertThat(ops.getClass().getName()).isEqualTo("io.pangolin.catalog.PangolinTableOperations");
    // On the client the table's FileIO is the branch-aware wrapper; what it ships to task managers is the warehouse
    // FileIO itself.
    assertThat(table.io().getClass().getName()).isEqualTo("io.pangolin.catalog.RefSafeFileIO");
    assertThat(shipped(table.io()).getClass().getName()).isEqualTo("io.pangolin.warehouse.WarehouseFileIO");
    assertThat(table.location()).startsWith(LakeEnv.get().warehouseRoot() + "/");
  }

  private static Object shipped(Object io) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(io);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }

  private static Path codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
