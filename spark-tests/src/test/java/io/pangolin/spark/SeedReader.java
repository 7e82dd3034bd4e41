package io.pangolin.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A second Spark application, run in a JVM of its own by {@link SeedAcrossJvmsIT}: it knows nothing but the
 * catalog settings a user would give it, runs one query and compares the rows with the expected ones.
 *
 * <p>Arguments: the Spark catalog name, the query, then the expected rows, each as its values joined by '|'.
 * The catalog's JDBC URL, user, password and tenant come in environment variables so that they never show up in
 * a process listing; the master key that decrypts the warehouse's secret comes the way the plugin reads it from
 * the environment, in PANGOLIN_MASTER_KEY. Exit 0 on a match, 3 on a mismatch.
 */
public final class SeedReader {

  static final String ENV_URL = "PANGOLIN_E2E_URI";
  static final String ENV_USER = "PANGOLIN_E2E_USER";
  static final String ENV_PASSWORD = "PANGOLIN_E2E_PASSWORD";
  static final String ENV_TENANT = "PANGOLIN_E2E_TENANT";

  private SeedReader() {}

  public static void main(String[] args) {
    String catalog = args[0];
    String query = args[1];
    List<String> expected = Arrays.asList(args).subList(2, args.length);

    SparkSession.Builder builder = SparkSession.builder().appName("pangolin-e2e-reader");
    SparkConfs.base().forEach(builder::config);
    SparkConfs.pangolinCatalog(catalog, System.getenv(ENV_URL), System.getenv(ENV_USER),
        System.getenv(ENV_PASSWORD), System.getenv(ENV_TENANT), null).forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    int status;
    try {
      List<String> actual = new ArrayList<>();
      for (Row row : spark.sql(query).collectAsList()) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
          values.add(String.valueOf(row.get(i)));
        }
        actual.add(String.join("|", values));
      }
      actual.forEach(r -> System.out.println("ROW " + r));
      status = actual.equals(expected) ? 0 : 3;
      if (status != 0) {
        System.out.println("MISMATCH expected " + expected + " but read " + actual);
      }
    } finally {
      spark.stop();
    }
    System.exit(status);
  }
}
