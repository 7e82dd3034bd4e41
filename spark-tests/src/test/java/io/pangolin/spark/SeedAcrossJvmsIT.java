package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.location;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One Spark application seeds a table; its files land in the warehouse's own bucket; a second Spark application,
 * in a new JVM that shares nothing with the first but the catalog settings, reads the same rows.
 */
class SeedAcrossJvmsIT {

  @Test
  void tableWrittenByOneApplicationIsReadByAnother() throws Exception {
    sql("CREATE NAMESPACE IF NOT EXISTS lake.seed");
    sql("CREATE TABLE lake.seed.orders (order_id BIGINT, customer STRING, amount DECIMAL(10, 2)) USING iceberg"
        + " PARTITIONED BY (customer)");
    sql("INSERT INTO lake.seed.orders VALUES (1, 'ann', 12.50), (2, 'bob', 7.25), (3, 'ann', 100.00)");
    assertThat(rows("SELECT order_id, customer, amount FROM lake.seed.orders ORDER BY order_id")).containsExactly(
        row(1L, "ann", new BigDecimal("12.50")), row(2L, "bob", new BigDecimal("7.25")),
        row(3L, "ann", new BigDecimal("100.00")));

    String location = location("lake.seed.orders");
    assertThat(location).startsWith("s3://" + SparkTestEnv.LAKE_BUCKET + "/warehouse/lake/seed/orders-");
    List<String> keys = keysUnder(SparkTestEnv.get().lakeS3(), location);
    assertThat(keys)
        .anyMatch(k -> k.contains("/metadata/") && k.endsWith(".metadata.json"))
        .anyMatch(k -> k.contains("/metadata/snap-") && k.endsWith(".avro"))
        .anyMatch(k -> k.contains("/metadata/") && k.endsWith("-m0.avro"))
        .anyMatch(k -> k.contains("/data/customer=ann/") && k.endsWith(".parquet"))
        .anyMatch(k -> k.contains("/data/customer=bob/") && k.endsWith(".parquet"));

    Result child = runSecondApplication("lake",
        "SELECT order_id, customer, amount FROM lake.seed.orders ORDER BY order_id",
        "1|ann|12.50", "2|bob|7.25", "3|ann|100.00");

    assertThat(child.exitCode()).as("second application's exit code; its output:%n%s", child.output()).isZero();
    assertThat(child.output()).contains("ROW 1|ann|12.50", "ROW 2|bob|7.25", "ROW 3|ann|100.00");
  }

  private record Result(int exitCode, String output) {}

  private static Result runSecondApplication(String catalog, String query, String... expectedRows)
      throws IOException, InterruptedException, URISyntaxException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    // The module openings Spark needs, as given to this JVM by the build.
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect.") || arg.startsWith("-Dio.netty.")) {
        command.add(arg);
      }
    }
    // Wrong process-wide credentials here too: the reader must use the warehouse's own.
    command.add("-Daws.accessKeyId=AKIAWRONGSYSPROP0000");
    command.add("-Daws.secretAccessKey=wrong-secret-from-system-properties");
    command.add("-Daws.region=eu-wrong-2");
    // This JVM's class path, as a user's spark-submit --jars would give it: the packaged plugin jar, not classes.
    String classPath = System.getProperty("java.class.path");
    String pluginJar = Path.of(PangolinCatalog.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).toString();
    assertThat(pluginJar).endsWith(".jar");
    assertThat(classPath.split(File.pathSeparator)).contains(pluginJar);
    command.add("-cp");
    command.add(classPath);
    command.add(SeedReader.class.getName());
    command.add(catalog);
    command.add(query);
    command.addAll(List.of(expectedRows));

    Path output = Files.createTempFile(Path.of("target"), "second-application", ".log");
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(new File(".").getAbsoluteFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIAWRONGWRONGWRONG0");
    env.put("AWS_SECRET_ACCESS_KEY", "wrong-secret-from-the-environment");
    env.put("AWS_REGION", "eu-wrong-1");
    env.put("AWS_PROFILE", "wrong-profile");
    env.put(SeedReader.ENV_URL, SparkTestEnv.get().jdbcUrl());
    env.put(SeedReader.ENV_USER, TestPostgres.get().user());
    env.put(SeedReader.ENV_PASSWORD, TestPostgres.get().password());
    env.put(SeedReader.ENV_TENANT, SparkTestEnv.TENANT);
    env.put("PANGOLIN_MASTER_KEY", TestKeys.MASTER_KEY);

    Process process = pb.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("Second application did not finish in 3 minutes: "
          + Files.readString(output, StandardCharsets.UTF_8));
    }
    return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
  }
}
