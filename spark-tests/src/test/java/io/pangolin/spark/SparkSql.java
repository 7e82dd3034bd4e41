package io.pangolin.spark;

import io.pangolin.testing.TestS3;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small helpers over the shared session (or a test's own), written against the API both Spark lines have. */
public final class SparkSql {

  private SparkSql() {}

  public static List<Row> sql(String statement) {
    return sql(SparkTestEnv.get().spark(), statement);
  }

  /** A statement in a session of a test's own rather than the shared one. */
  public static List<Row> sql(SparkSession spark, String statement) {
    return spark.sql(statement).collectAsList();
  }

  /** Result rows as lists of Java values, which compare with {@link #row} in assertions. */
  public static List<List<Object>> rows(String query) {
    return rows(SparkTestEnv.get().spark(), query);
  }

  public static List<List<Object>> rows(SparkSession spark, String query) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r : sql(spark, query)) {
      List<Object> values = new ArrayList<>(r.size());
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      out.add(values);
    }
    return out;
  }

  public static List<Object> row(Object... values) {
    return Arrays.asList(values);
  }

  /** The first column of each row, as text. */
  public static List<String> column(String query) {
    return sql(query).stream().map(r -> r.isNullAt(0) ? null : String.valueOf(r.get(0))).toList();
  }

  /** Names from SHOW TABLES IN ns. */
  public static List<String> tables(String namespace) {
    return sql("SHOW TABLES IN " + namespace).stream().map(r -> r.<String>getAs("tableName")).toList();
  }

  /** Names from SHOW VIEWS IN ns. */
  public static List<String> views(String namespace) {
    return sql("SHOW VIEWS IN " + namespace).stream().map(r -> r.<String>getAs("viewName")).toList();
  }

  public static Object scalar(String query) {
    List<Row> result = sql(query);
    if (result.size() != 1) {
      throw new AssertionError("Expected one row from " + query + ", got " + result);
    }
    return result.get(0).get(0);
  }

  /** Two-column results (SHOW TBLPROPERTIES, DESCRIBE NAMESPACE) as a map. */
  public static Map<String, String> pairs(String query) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Row r : sql(query)) {
      out.put(r.getString(0), r.isNullAt(1) ? null : r.getString(1));
    }
    return out;
  }

  /** The Iceberg table behind a Spark name, loaded through the catalog Spark was configured with. */
  public static Table icebergTable(String name) {
    return icebergTable(SparkTestEnv.get().spark(), name);
  }

  public static Table icebergTable(SparkSession spark, String name) {
    try {
      return Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot load " + name, e);
    }
  }

  public static String location(String table) {
    return icebergTable(table).location();
  }

  /** The bucket of an s3:// location. */
  public static String bucketOf(String location) {
    String rest = location.substring(location.indexOf("://") + 3);
    return rest.substring(0, rest.indexOf('/'));
  }

  /** The object-key prefix of everything below an s3:// location. */
  public static String keyPrefixOf(String location) {
    String rest = location.substring(location.indexOf("://") + 3);
    String key = rest.substring(rest.indexOf('/') + 1);
    return key.endsWith("/") ? key : key + "/";
  }

  /** What is really stored below a location, as listed by the server's own client rather than any FileIO. */
  public static List<String> keysUnder(TestS3 s3, String location) {
    return s3.keys(bucketOf(location), keyPrefixOf(location));
  }
}
