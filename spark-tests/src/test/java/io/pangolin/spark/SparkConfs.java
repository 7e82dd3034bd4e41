package io.pangolin.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Spark settings of every session the suite starts, in this JVM or in a second one, written the way a user
 * writes them in spark-defaults.conf or on spark-submit.
 */
public final class SparkConfs {

  private SparkConfs() {}

  /** Local mode on loopback, Iceberg's SQL extensions, and scratch space kept under target/. */
  public static Map<String, String> base() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put("spark.master", "local[2]");
    conf.put("spark.ui.enabled", "false");
    conf.put("spark.driver.host", "127.0.0.1");
    conf.put("spark.driver.bindAddress", "127.0.0.1");
    conf.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    // Tiny data: the default 200 shuffle partitions would only add task overhead on two cores.
    conf.put("spark.sql.shuffle.partitions", "2");
    conf.put("spark.default.parallelism", "2");
    // TIMESTAMP AS OF literals are written in UTC by the tests.
    conf.put("spark.sql.session.timeZone", "UTC");
    conf.put("spark.sql.warehouse.dir", new File("target/spark-warehouse").getAbsolutePath());
    return conf;
  }

  /**
   * A Pangolin catalog exposed to Spark under {@code sparkName}, taken from examples/spark/spark-defaults.conf (the
   * file the README points users to) with its placeholders filled in and its catalog name {@code lake} replaced.
   * No {@code pangolin.catalog} is given: it defaults to the Spark catalog's name, which is how a user is expected
   * to configure it. {@code masterKeyFile} may be null, leaving the master key to PANGOLIN_MASTER_KEY.
   */
  public static Map<String, String> pangolinCatalog(String sparkName, String jdbcUrl, String user, String password,
      String tenant, String masterKeyFile) {
    Map<String, String> values = new HashMap<>();
    values.put("PANGOLIN_DB_URI", jdbcUrl);
    values.put("PANGOLIN_ENGINE_USER", user);
    values.put("PANGOLIN_ENGINE_PASSWORD", password);
    values.put("PANGOLIN_TENANT", tenant);
    values.put("PANGOLIN_MASTER_KEY_FILE", masterKeyFile);
    Map<String, String> conf = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(exampleFile())) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
          continue;
        }
        String[] parts = trimmed.split("\\s+", 2);
        if (!parts[0].startsWith("spark.sql.catalog.lake")) {
          // Session-wide settings of the file (the SQL extensions) are in base(); only the catalog is added here.
          continue;
        }
        Matcher m = PLACEHOLDER.matcher(parts[1]);
        if (m.matches() && values.get(m.group(1)) == null) {
          continue;
        }
        String value = m.matches() ? values.get(m.group(1)) : parts[1];
        conf.put(parts[0].replaceFirst("^spark\\.sql\\.catalog\\.lake(?=\\.|$)", "spark.sql.catalog." + sparkName),
            value);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return conf;
  }

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  private static Path exampleFile() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples/spark/spark-defaults.conf");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("examples/spark/spark-defaults.conf not found above " + Path.of("").toAbsolutePath());
  }
}
