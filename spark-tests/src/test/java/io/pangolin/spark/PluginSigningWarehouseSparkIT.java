package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.icebergTable;
import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.types.Types;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/**
 * A plugin engine on a signing warehouse does the same work holding no warehouse key: Spark's catalog {@code lake} is
 * the Pangolin plugin as principal etl (READ, WRITE, CREATE on the catalog), configured as
 * examples/spark/spark-defaults.conf does but with neither an S3 key nor a master key, on a warehouse switched to
 * {@code storage-access=remote-signing} through a {@link SigningScene}'s endpoint. S3Proxy checks every signature
 * against a key only the database holds, so each write and each read the executors make was signed by the endpoint.
 * The table's own FileIO, asked for a file of a table in another catalog of the warehouse, is refused by the signer.
 *
 * <p>A JVM of its own (tag {@value #OWN_JVM}, a failsafe execution of its own): Iceberg's signer client keeps its
 * HTTP client per JVM, bound to the first endpoint it signed through (RestSigningSparkIT's is another), and the
 * session here must be the only one, carrying no key at all, where the shared {@link SparkTestEnv} has the
 * superuser's catalog {@code lake} with the master key.
 */
@Tag(PluginSigningWarehouseSparkIT.OWN_JVM)
class PluginSigningWarehouseSparkIT {

  static final String OWN_JVM = "own-jvm";

  private static SigningScene scene;
  private static SparkSession spark;
  private static String etl;
  private static String otherCatalogsFile;

  @BeforeAll
  static void scene() throws Exception {
    scene = new SigningScene();
    otherCatalogsFile = aTableOfAnotherCatalog();
    scene.signThroughServe();
    etl = scene.principal("etl");
    for (String privilege : List.of("READ", "WRITE", "CREATE")) {
      scene.grantOnCatalog(etl, privilege);
    }
    SparkSession.Builder builder = SparkSession.builder().appName("pangolin-plugin-signing");
    SparkConfs.base().forEach(builder::config);
    scene.pluginCatalog("lake", etl).forEach(builder::config);
    spark = builder.getOrCreate();
    sql(spark, "CREATE NAMESPACE lake.ns");
  }

  @AfterAll
  static void closeScene() throws Exception {
    if (spark != null) {
      spark.stop();
    }
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void aPluginEngineOnASigningWarehouseDoesTheSameWorkHoldingNoWarehouseKey() {
    List<String> conf = new ArrayList<>();
    for (Tuple2<String, String> setting : spark.sparkContext().getConf().getAll()) {
      conf.add(setting._1() + "=" + setting._2());
    }
    assertThat(conf)
        .contains("spark.sql.catalog.lake.catalog-impl=io.pangolin.catalog.PangolinCatalog",
            "spark.sql.catalog.lake.jdbc.user=" + etl)
        .noneMatch(setting -> setting.contains("master-key") || setting.contains("access-key")
            || setting.contains("secret") || setting.contains(TestKeys.MASTER_KEY)
            || setting.contains(scene.s3.accessKey()) || setting.contains(scene.s3.secretKey()));
    assertThat(System.getenv()).doesNotContainKeys("PANGOLIN_MASTER_KEY", "PANGOLIN_MASTER_KEY_FILE");
    assertThat(String.join(",", System.getenv().values()))
        .doesNotContain(TestKeys.MASTER_KEY, scene.s3.accessKey(), scene.s3.secretKey());

    sql(spark, "CREATE TABLE lake.ns.t (id BIGINT, data STRING) USING iceberg");
    sql(spark, "INSERT INTO lake.ns.t VALUES (1, 'one'), (2, 'two')");
    sql(spark, "INSERT INTO lake.ns.t VALUES (3, 'three')");

    assertThat(rows(spark, "SELECT id, data FROM lake.ns.t ORDER BY id"))
        .containsExactly(row(1L, "one"), row(2L, "two"), row(3L, "three"));
    Table table = icebergTable(spark, "lake.ns.t");
    assertThat(keysUnder(scene.s3, table.location()))
        .anyMatch(key -> key.endsWith(".parquet"))
        .anyMatch(key -> key.endsWith(".metadata.json"));
    Map<String, String> ioProps = table.io().properties();
    assertThat(ioProps)
        .containsEntry("s3.remote-signing-enabled", "true")
        .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
    assertThat(ioProps.values())
        .noneMatch(v -> v.contains(scene.s3.accessKey()) || v.contains(scene.s3.secretKey()));
  }

  @Test
  void theTablesFileIoIsRefusedAFileOfATableTheEngineHoldsNoGrantOn() throws Exception {
    sql(spark, "CREATE TABLE lake.ns.probe (id BIGINT) USING iceberg");
    Table probe = icebergTable(spark, "lake.ns.probe");
    String own = ((HasTableOperations) probe).operations().current().metadataFileLocation();
    try (InputStream in = probe.io().newInputFile(own).newStream()) {
      assertThat(in.readAllBytes()).isNotEmpty();
    }

    assertThatThrownBy(() -> {
      try (InputStream other = probe.io().newInputFile(otherCatalogsFile).newStream()) {
        other.read();
      }
    })
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("principal " + etl + " lacks READ on location " + otherCatalogsFile + " of catalog "
            + SigningScene.TENANT + "_" + SigningScene.CATALOG);
  }

  /**
   * The metadata file of table vault.ledger of catalog other, on the same warehouse, where etl holds nothing: made
   * by the superuser with the master key, outside Spark and before the warehouse signs remotely.
   */
  private static String aTableOfAnotherCatalog() throws Exception {
    TestCatalogs.tenants(scene.url).createCatalog(SigningScene.TENANT, "other", SigningScene.WAREHOUSE, null, Map.of());
    try (PangolinCatalog other = TestCatalogs.open(scene.url, SigningScene.TENANT, "other", "main")) {
      other.createNamespace(Namespace.of("vault"));
      Table ledger = other.createTable(TableIdentifier.of("vault", "ledger"),
          new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
      return ((HasTableOperations) ledger).operations().current().metadataFileLocation();
    }
  }
}
