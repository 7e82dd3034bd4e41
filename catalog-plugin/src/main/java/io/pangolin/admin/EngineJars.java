package io.pangolin.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

/**
 * The class path 'warehouse check' needs besides the plugin jar: Iceberg (an engine runtime), the AWS SDK
 * (iceberg-aws-bundle) and SLF4J with its simple provider, which neither of those carries. The jar names come from
 * the build, so the command the tool prints is the one the README shows.
 */
final class EngineJars {

  private EngineJars() {}

  static List<String> classPath() {
    Properties versions = new Properties();
    try (InputStream in = EngineJars.class.getResourceAsStream("engine-jars.properties")) {
      versions.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("The plugin jar lacks io/pangolin/admin/engine-jars.properties", e);
    }
    String iceberg = versions.getProperty("iceberg");
    String slf4j = versions.getProperty("slf4j");
    return List.of(versions.getProperty("plugin"), "iceberg-spark-runtime-4.1_2.13-" + iceberg + ".jar",
        "iceberg-aws-bundle-" + iceberg + ".jar", "slf4j-api-" + slf4j + ".jar", "slf4j-simple-" + slf4j + ".jar");
  }

  /** The whole command, as an operator pastes it. */
  static String checkCommand() {
    return command("warehouse check");
  }

  /** The java command that runs {@code subcommand} with the engine jars. */
  static String command(String subcommand) {
    return "java -cp " + String.join(":", classPath()) + " io.pangolin.admin.PangolinCli " + subcommand;
  }
}
