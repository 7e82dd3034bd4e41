package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.column;
import static io.pangolin.spark.SparkSql.icebergTable;
import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.pairs;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static io.pangolin.spark.SparkSql.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.AnalysisException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark with Iceberg's own REST catalog ({@code type=rest}) on pangolin serve and S3FileIO with remote signing,
 * against an S3Proxy whose key only the database holds: Spark's catalogs are given a principal's name and password
 * and nothing about storage, so every read and write S3Proxy accepts was signed by the endpoint. A reader holding
 * READ on table ns.t1 only reads t1; the catalog answers about t2 as about a table that does not exist; and the FileIO t1 came with, reading one of t2's
 * data files directly, is refused by the signer in the database's words. A writer holding WRITE on t1 inserts
 * through signing: data file, manifests and a metadata file written by Spark, the commit made by the endpoint.
 *
 * <p>The other half of the line, a Pangolin plugin catalog on a remote-signing warehouse doing the same work
 * with no warehouse key, is {@link PluginSigningWarehouseSparkIT}, in a JVM of its own.
 */
class RestSigningSparkIT {

  private static SigningScene scene;
  private static String reader;
  private static String writer;
  private static String t1DataFile;
  private static String t2DataFile;

  @BeforeAll
  static void scene() {
    scene = new SigningScene();
    register(scene.superuserPluginCatalog("signing_setup"));
    sql("CREATE NAMESPACE signing_setup.ns");
    sql("CREATE TABLE signing_setup.ns.t1 (id BIGINT, data STRING) USING iceberg");
    sql("CREATE TABLE signing_setup.ns.t2 (id BIGINT, data STRING) USING iceberg");
    sql("INSERT INTO signing_setup.ns.t1 VALUES (1, 'one'), (2, 'two')");
    sql("INSERT INTO signing_setup.ns.t2 VALUES (9, 'only in t2')");
    t1DataFile = aDataFile("signing_setup.ns.t1");
    t2DataFile = aDataFile("signing_setup.ns.t2");

    reader = scene.principal("reader");
    scene.grantOnTable(reader, "READ", "ns", "t1");
    writer = scene.principal("writer");
    scene.grantOnTable(writer, "READ", "ns", "t1");
    scene.grantOnTable(writer, "WRITE", "ns", "t1");
    register(scene.restCatalog("rest", reader));
    register(scene.restCatalog("rest_writer", writer));
  }

  @AfterAll
  static void closeScene() throws Exception {
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void theReaderReadsItsTableThroughSigningWithNoKeyAnywhereInSpark() {
    assertThat(rows("SELECT id, data FROM rest.ns.t1 WHERE id <= 2 ORDER BY id"))
        .containsExactly(row(1L, "one"), row(2L, "two"));

    assertThat(pairs("SET").keySet())
        .filteredOn(key -> key.startsWith("spark.sql.catalog.rest"))
        .contains("spark.sql.catalog.rest.uri", "spark.sql.catalog.rest.credential")
        .noneMatch(key -> key.contains("access-key") || key.contains("secret") || key.contains("session-token")
            || key.contains("s3.endpoint"));
    FileIO io = icebergTable("rest.ns.t1").io();
    assertThat(io.properties())
        .containsEntry("s3.remote-signing-enabled", "true")
        .containsEntry("s3.endpoint", scene.s3.endpoint())
        .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
    // The process-wide AWS settings are wrong (failsafe's environment): S3Proxy accepted what the endpoint signed.
    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isNotEqualTo(scene.s3.accessKey());
  }

  /**
   * The catalog refuses t2 as it refuses a table that does not exist (404, NoSuchTableException): the database hides
   * from a principal what it holds no privilege on, so the answer names neither the principal nor the table's
   * existence, while the administrator reads t2.
   */
  @Test
  void theCatalogAnswersTheReaderAboutAnotherTableAsIfItDidNotExist() {
    Catalog rest = Spark3Util.loadIcebergCatalog(SparkTestEnv.get().spark(), "rest");
    assertThatThrownBy(() -> rest.loadTable(TableIdentifier.of("ns", "t2")))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessage("Table does not exist: ns.t2");
    assertThatThrownBy(() -> rest.loadTable(TableIdentifier.of("ns", "never_created")))
        .isInstanceOf(NoSuchTableException.class)
        .hasMessage("Table does not exist: ns.never_created");
    assertThatThrownBy(() -> sql("SELECT * FROM rest.ns.t2"))
        .isInstanceOf(AnalysisException.class)
        .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
    assertThat(tables("rest.ns")).containsExactly("t1");

    assertThat(rows("SELECT id, data FROM signing_setup.ns.t2")).containsExactly(row(9L, "only in t2"));
  }

  @Test
  void theSignerRefusesADirectReadOfAnotherTablesFileWithTheTablesOwnFileIo() throws Exception {
    Table t1 = icebergTable("rest.ns.t1");
    try (InputStream own = t1.io().newInputFile(t1DataFile).newStream()) {
      assertThat(own.readAllBytes()).isNotEmpty();
    }

    assertThatThrownBy(() -> {
      try (InputStream other = t1.io().newInputFile(t2DataFile).newStream()) {
        other.read();
      }
    })
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("principal " + reader + " lacks READ on " + t2DataFile)
        .hasMessageContaining("outside table ns.t1 of catalog " + SigningScene.TENANT + "_" + SigningScene.CATALOG);
  }

  @Test
  void aWriterInsertsThroughSigningAndTheEndpointCommits() {
    String location = icebergTable("signing_setup.ns.t1").location();
    List<String> before = keysUnder(scene.s3, location);

    sql("INSERT INTO rest_writer.ns.t1 VALUES (3, 'three')");

    assertThat(keysUnder(scene.s3, location))
        .containsAll(before)
        .filteredOn(key -> !before.contains(key))
        .anyMatch(key -> key.endsWith(".parquet"))
        .anyMatch(key -> key.endsWith(".avro"))
        .anyMatch(key -> key.endsWith(".metadata.json"));
    // Read back through the plugin as the superuser: the commit is in the database, not only in Spark's cache.
    sql("REFRESH TABLE signing_setup.ns.t1");
    assertThat(rows("SELECT id, data FROM signing_setup.ns.t1 ORDER BY id"))
        .containsExactly(row(1L, "one"), row(2L, "two"), row(3L, "three"));

    // Expiring the first snapshot deletes its manifest list with a multi-object delete (DeleteObjects), whose body
    // the signer binds by its checksum header.
    List<String> manifestLists = keysUnder(scene.s3, location).stream().filter(k -> k.contains("/snap-")).toList();
    assertThat(manifestLists).hasSize(2);
    sql("CALL rest_writer.system.expire_snapshots(table => 'ns.t1', older_than => TIMESTAMP '"
        + Instant.now().plusSeconds(1) + "', retain_last => 1)");
    assertThat(keysUnder(scene.s3, location).stream().filter(k -> k.contains("/snap-")))
        .hasSize(1)
        .isSubsetOf(manifestLists);
  }

  private static String aDataFile(String table) {
    List<String> files = column("SELECT file_path FROM " + table + ".files");
    assertThat(files).isNotEmpty();
    return files.get(0);
  }

  private static void register(Map<String, String> conf) {
    conf.forEach((k, v) -> SparkTestEnv.get().spark().conf().set(k, v));
  }
}
