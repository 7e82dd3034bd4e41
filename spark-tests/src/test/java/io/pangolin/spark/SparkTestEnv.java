package io.pangolin.spark;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * What all test classes of one JVM share: one catalog database, the S3 server of the {@code lake} warehouse,
 * and one Spark session with the Pangolin catalog {@code lake}. Spark sessions take seconds to start and one
 * JVM runs every test class, so each class works in namespaces of its own instead of a session of its own.
 */
public final class SparkTestEnv {

  public static final String TENANT = "acme";
  public static final String LAKE_BUCKET = "lake-bucket";
  public static final String LAKE_ACCESS_KEY = "LAKEACCESSKEY0000001";
  public static final String LAKE_SECRET_KEY = "lake-secret-key-known-only-to-the-catalog";

  private static SparkTestEnv instance;

  private final String jdbcUrl;
  private final TestS3 lakeS3;
  private final SparkSession spark;

  private SparkTestEnv() {
    this.jdbcUrl = TestCatalogs.migratedDatabase();
    this.lakeS3 = TestS3.start(LAKE_ACCESS_KEY, LAKE_SECRET_KEY);
    TestCatalogs.s3Catalog(jdbcUrl, TENANT, "lake_warehouse", "lake", lakeS3, LAKE_BUCKET, List.of());
    SparkSession.Builder builder = SparkSession.builder().appName("pangolin-e2e");
    SparkConfs.base().forEach(builder::config);
    catalogConf("lake").forEach(builder::config);
    this.spark = builder.getOrCreate();
  }

  public static synchronized SparkTestEnv get() {
    if (instance == null) {
      instance = new SparkTestEnv();
    }
    return instance;
  }

  public SparkSession spark() {
    return spark;
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public TestS3 lakeS3() {
    return lakeS3;
  }

  /** Spark settings for a Spark catalog of this name over the Pangolin catalog of the same name. */
  public Map<String, String> catalogConf(String name) {
    return SparkConfs.pangolinCatalog(name, jdbcUrl, TestPostgres.get().user(), TestPostgres.get().password(),
        TENANT, TestKeys.masterKeyFile());
  }

  /** Adds a catalog to the running session, as a user would with SET spark.sql.catalog.NAME=... */
  public void registerCatalog(String name) {
    catalogConf(name).forEach((k, v) -> spark.conf().set(k, v));
  }
}
