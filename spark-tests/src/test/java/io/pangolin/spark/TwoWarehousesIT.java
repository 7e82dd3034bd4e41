package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.location;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * Two warehouses on two S3 servers, each accepting only its own key, used from one Spark session through two
 * catalogs. A copy from one to the other can only work if every file is read and written with the credentials
 * of the warehouse it belongs to, since the process-wide AWS settings are wrong for both.
 */
class TwoWarehousesIT {

  private static TestS3 serverA;
  private static TestS3 serverB;

  @BeforeAll
  static void warehouses() {
    SparkTestEnv env = SparkTestEnv.get();
    serverA = TestS3.start("WAREHOUSEAKEY0000001", "secret-of-warehouse-a");
    serverB = TestS3.start("WAREHOUSEBKEY0000002", "secret-of-warehouse-b");
    TestCatalogs.s3Catalog(env.jdbcUrl(), SparkTestEnv.TENANT, "warehouse_a", "a", serverA, "bucket-a", List.of());
    TestCatalogs.s3Catalog(env.jdbcUrl(), SparkTestEnv.TENANT, "warehouse_b", "b", serverB, "bucket-b", List.of());
    env.registerCatalog("a");
    env.registerCatalog("b");
  }

  @AfterAll
  static void stopServers() {
    if (serverA != null) {
      serverA.close();
    }
    if (serverB != null) {
      serverB.close();
    }
  }

  @Test
  void copyBetweenWarehousesUsesEachWarehousesOwnCredentials() {
    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isEqualTo("AKIAWRONGWRONGWRONG0");
    assertThat(System.getProperty("aws.accessKeyId")).isEqualTo("AKIAWRONGSYSPROP0000");

    sql("CREATE NAMESPACE a.ns");
    sql("CREATE TABLE a.ns.t (id BIGINT, payload STRING) USING iceberg");
    sql("INSERT INTO a.ns.t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    sql("CREATE NAMESPACE b.ns");
    sql("CREATE TABLE b.ns.t (id BIGINT, payload STRING) USING iceberg");

    sql("INSERT INTO b.ns.t SELECT * FROM a.ns.t");

    assertThat(rows("SELECT id, payload FROM b.ns.t ORDER BY id"))
        .containsExactly(row(1L, "one"), row(2L, "two"), row(3L, "three"));
    assertThat(rows("SELECT count(*) FROM a.ns.t JOIN b.ns.t USING (id, payload)")).containsExactly(row(3L));

    String locationA = location("a.ns.t");
    String locationB = location("b.ns.t");
    assertThat(locationA).startsWith("s3://bucket-a/warehouse/a/ns/t-");
    assertThat(locationB).startsWith("s3://bucket-b/warehouse/b/ns/t-");
    assertThat(keysUnder(serverA, locationA))
        .anyMatch(k -> k.endsWith(".parquet"))
        .anyMatch(k -> k.endsWith(".metadata.json"));
    assertThat(keysUnder(serverB, locationB))
        .anyMatch(k -> k.endsWith(".parquet"))
        .anyMatch(k -> k.endsWith(".metadata.json"));
    List<String> dataFilesOfB = SparkSql.column("SELECT file_path FROM b.ns.t.files");
    assertThat(dataFilesOfB).isNotEmpty().allMatch(f -> f.startsWith(locationB + "/data/"));
    // Neither server holds anything of the other warehouse.
    assertThat(bucketsOf(serverA)).containsExactly("bucket-a");
    assertThat(bucketsOf(serverB)).containsExactly("bucket-b");
  }

  private static List<String> bucketsOf(TestS3 server) {
    try (S3Client client = server.client()) {
      return client.listBuckets().buckets().stream().map(Bucket::name).toList();
    }
  }
}
