package io.pangolin.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The {@code spark-submit} and {@code spark-sql} the documents find on their PATH, in a SPARK_HOME of their own.
 *
 * <p>{@code spark-submit} runs what Spark's own script runs: {@code java -cp <conf and jars>
 * org.apache.spark.deploy.SparkSubmit "$@"} with Spark's module openings and its default driver heap, on the class
 * path of Spark 4.1.1 and its dependencies as Maven resolves them (no Iceberg, no plugin: the documents pass those
 * with --jars, as users do). SparkSubmit is the real one and reads conf/spark-defaults.conf.
 *
 * <p>{@code spark-sql} is a stand-in: Spark's script hands SparkSubmit the class SparkSQLCLIDriver, from
 * spark-hive-thriftserver, which the Maven mirror CI reaches does not serve. This one splits its arguments as
 * spark-sql does (spark-submit's options to SparkSubmit; {@code -e}, {@code -f} and {@code --database} to the
 * shell) and runs {@link SparkSqlShell} with the same SparkSubmit.
 */
final class SparkStandIns {

  private SparkStandIns() {
  }

  /** Writes SPARK_HOME at {@code home} (bin/ and conf/) and returns its bin folder. */
  static Path write(Path home, String classPath, String jvmOpenings, Path shellJar) throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path conf = Files.createDirectories(home.resolve("conf"));
    Files.writeString(conf.resolve("spark-defaults.conf"), """
        # Written by DocsIT: Spark in local mode on loopback, without its web UI.
        spark.master              local[2]
        spark.ui.enabled          false
        spark.driver.host         127.0.0.1
        spark.driver.bindAddress  127.0.0.1
        """);
    Files.writeString(conf.resolve("log4j2.properties"), """
        # Written by DocsIT: warnings and errors only, on standard error.
        rootLogger.level = warn
        rootLogger.appenderRef.console.ref = console
        appender.console.type = Console
        appender.console.name = console
        appender.console.target = SYSTEM_ERR
        appender.console.layout.type = PatternLayout
        appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex
        """);
    script(bin.resolve("spark-submit"), """
        #!/usr/bin/env bash
        # Written by DocsIT: what Spark's bin/spark-submit runs (SparkSubmit, through spark-class), with Spark's
        # jars from Maven instead of a distribution's jars/ folder. The driver's heap is --driver-memory (1g).
        export SPARK_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
        export SPARK_LOCAL_IP=127.0.0.1
        memory=1g
        args=("$@")
        for ((i = 0; i < ${#args[@]}; i++)); do
          case "${args[i]}" in
            --driver-memory) memory="${args[i + 1]:-$memory}" ;;
            --driver-memory=*) memory="${args[i]#--driver-memory=}" ;;
          esac
        done
        exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -Xmx"$memory" %s \\
          -cp "$SPARK_HOME/conf:%s" org.apache.spark.deploy.SparkSubmit "$@"
        """.formatted(jvmOpenings, classPath));
    script(bin.resolve("spark-sql"), """
        #!/usr/bin/env bash
        # Written by DocsIT: a stand-in for Spark's bin/spark-sql, whose SparkSQLCLIDriver (spark-hive-thriftserver)
        # CI cannot download. spark-submit's options go to spark-submit; the shell's own (-e SQL, -f FILE,
        # --database DB) go to io.pangolin.docs.SparkSqlShell, which spark-submit then runs.
        set -euo pipefail
        here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
        submit=()
        shell=()
        while [ $# -gt 0 ]; do
          case "$1" in
            -e | -f | --database)
              [ $# -ge 2 ] || { echo "spark-sql: $1 needs a value" >&2; exit 2; }
              shell+=("$1" "$2"); shift 2 ;;
            -S | --silent) shift ;;
            -i | -d | --define | --hiveconf | --hivevar)
              echo "spark-sql (DocsIT's stand-in): $1 is not supported" >&2; exit 2 ;;
            --verbose | -v | --supervise) submit+=("$1"); shift ;;
            --*=*) submit+=("$1"); shift ;;
            -*)
              [ $# -ge 2 ] || { echo "spark-sql: $1 needs a value" >&2; exit 2; }
              submit+=("$1" "$2"); shift 2 ;;
            *) echo "spark-sql (DocsIT's stand-in): unexpected argument $1" >&2; exit 2 ;;
          esac
        done
        exec "$here/spark-submit" "${submit[@]}" --class io.pangolin.docs.SparkSqlShell '%s' "${shell[@]}"
        """.formatted(shellJar.toAbsolutePath()));
    return bin;
  }

  private static void script(Path file, String text) throws IOException {
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
