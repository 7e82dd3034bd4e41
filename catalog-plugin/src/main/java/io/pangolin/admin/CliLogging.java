package io.pangolin.admin;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the libraries' logging (Flyway, the AWS SDK, Iceberg, SLF4J itself) to warnings, or to their informative
 * lines with --verbose. Only the command-line process does this: it owns its JVM, whereas an engine or a test that
 * runs commands in-process keeps its own logging set-up.
 */
final class CliLogging {

  private CliLogging() {}

  static void configure(String[] args) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    // SLF4J reads these once, when its first logger is made, so they are set before anything logs; an operator's
    // own -D settings win.
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setIfAbsent("slf4j.internal.verbosity", verbose ? "INFO" : "ERROR");
    if (!verbose) {
      // S3FileIO warns on every start that Hadoop's metrics are missing; the admin tool has no Hadoop and needs none.
      setIfAbsent("org.slf4j.simpleLogger.log.org.apache.iceberg.aws.s3.S3FileIO", "error");
    }
    // Without SLF4J on the class path (java -jar), Flyway logs through java.util.logging.
    Logger root = Logger.getLogger("");
    Level level = verbose ? Level.INFO : Level.WARNING;
    root.setLevel(level);
    for (Handler handler : root.getHandlers()) {
      handler.setLevel(level);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
