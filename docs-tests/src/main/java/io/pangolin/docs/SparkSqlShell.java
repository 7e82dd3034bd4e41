package io.pangolin.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.CommandResult;
import org.apache.spark.sql.classic.Dataset;
import org.apache.spark.sql.execution.HiveResult;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What the documents' {@code spark-sql} runs: a stand-in for the main class of Spark's {@code bin/spark-sql}
 * (SparkSQLCLIDriver), started by the real {@code org.apache.spark.deploy.SparkSubmit} exactly as that script starts
 * its driver. The real driver lives in spark-hive-thriftserver, which the Maven mirror CI reaches does not serve, so
 * DocsIT's {@code spark-sql} script passes spark-submit's options to SparkSubmit and the shell's own ({@code -e SQL},
 * {@code -f FILE}, {@code --database DB}) to this class.
 *
 * <p>Like spark-sql it runs each statement in turn (split on {@code ;} outside quotes and comments) in the session
 * SparkSubmit configured, prints result rows tab-separated on standard output with Spark's own Hive formatting, the
 * time taken on standard error, and stops at the first failing statement with exit code 1.
 */
public final class SparkSqlShell {

  private SparkSqlShell() {
  }

  public static void main(String[] args) throws IOException {
    String sql = null;
    String database = null;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        usage("option " + option + " needs a value");
      }
      switch (option) {
        case "-e" -> sql = args[++i];
        case "-f" -> sql = Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8);
        case "--database" -> database = args[++i];
        default -> usage("unknown option " + option);
      }
    }
    if (sql == null) {
      usage("give the statements with -e SQL or -f FILE (this stand-in has no interactive shell)");
    }
    int status = 0;
    SparkSession spark = SparkSession.builder().getOrCreate();
    try {
      if (database != null) {
        spark.sql("USE " + database);
      }
      for (String statement : statements(sql)) {
        if (!run(spark, statement)) {
          status = 1;
          break;
        }
      }
    } finally {
      spark.stop();
    }
    System.exit(status);
  }

  private static boolean run(SparkSession spark, String statement) {
    long start = System.nanoTime();
    try {
      QueryExecution execution = ((Dataset<Row>) spark.sql(statement)).queryExecution();
      scala.collection.immutable.Seq<String> result = execution.logical() instanceof CommandResult
          ? HiveResult.hiveResultString(execution.executedPlan())
          : SQLExecution.withNewExecutionId(execution, Option.apply("cli"),
              () -> HiveResult.hiveResultString(execution.executedPlan()));
      List<String> rows = CollectionConverters.asJava(result);
      rows.forEach(System.out::println);
      System.out.flush();
      double seconds = (System.nanoTime() - start) / 1e9;
      System.err.println(String.format(Locale.ROOT, "Time taken: %.3f seconds", seconds)
          + (rows.isEmpty() ? "" : ", Fetched " + rows.size() + " row(s)"));
      return true;
    } catch (Exception e) {
      // As spark-sql: a query's own mistake in one line, anything else with its stack trace.
      if (e instanceof AnalysisException) {
        System.err.println("Error in query: " + e.getMessage());
      } else {
        System.err.println("Failed: " + statement);
        e.printStackTrace();
      }
      return false;
    }
  }

  /** The statements of {@code sql}: split on ; outside quotes, backticks and comments, blank ones dropped. */
  static List<String> statements(String sql) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote != 0) {
        current.append(c);
        if (c == '\\' && quote != '`' && i + 1 < sql.length()) {
          current.append(sql.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        current.append(c);
      } else if (c == '-' && sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end - 1;
      } else if (c == '/' && sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 1;
      } else if (c == ';') {
        statements.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    statements.add(current.toString());
    return statements.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static void usage(String problem) {
    System.err.println("spark-sql (DocsIT's stand-in): " + problem);
    System.exit(2);
  }
}
