package io.pangolin.flink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node Trino server (coordinator and worker in one process) on 127.0.0.1, started from the
 * distribution Maven unpacked, with its own JDK (Trino needs a newer Java than the tests run on). Its etc/, data
 * and log live under target/trino; the catalog files are written there as given.
 */
final class TrinoServer implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  private final Process process;
  private final int port;
  private final Path log;

  private TrinoServer(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts Trino with the given catalog files (file name to content) and extra environment variables, and waits
   * until it answers queries.
   */
  static TrinoServer start(Path workDir, Map<String, String> catalogs, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path home = Path.of(requiredProperty("pangolin.test.trino.home"));
    Path java = Path.of(requiredProperty("pangolin.test.trino.java"));
    if (!Files.isDirectory(home.resolve("lib")) || !Files.isDirectory(home.resolve("plugin/iceberg"))) {
      throw new IllegalStateException("No unpacked Trino server at " + home + ": run the build through Maven,"
          + " whose pre-integration-test phase unpacks it");
    }
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("Trino needs Java 24 or newer; none at " + java
          + " (set -Dtrino.java=/path/to/bin/java)");
    }

    deleteRecursively(workDir);
    Path etc = Files.createDirectories(workDir.resolve("etc"));
    Path catalogDir = Files.createDirectories(etc.resolve("catalog"));
    Path data = Files.createDirectories(workDir.resolve("data"));
    for (Map.Entry<String, String> catalog : catalogs.entrySet()) {
      Files.writeString(catalogDir.resolve(catalog.getKey()), catalog.getValue());
    }
    int port = freePort();
    Files.writeString(etc.resolve("config.properties"), String.join("\n",
        "coordinator=true",
        "node-scheduler.include-coordinator=true",
        "http-server.http.port=" + port,
        "discovery.uri=http://127.0.0.1:" + port,
        "catalog.config-dir=" + catalogDir,
        "plugin.dir=" + home.resolve("plugin"),
        // Sized for a test beside Flink and PostgreSQL on a small machine.
        "query.max-memory=512MB",
        "query.max-memory-per-node=256MB",
        "task.concurrency=2",
        "") );
    Files.writeString(etc.resolve("log.properties"),
        "io.trino=WARN\nio.airlift=WARN\nBootstrap=WARN\norg.apache.iceberg=WARN\norg.eclipse.jetty=WARN\n");

    List<String> command = new ArrayList<>(List.of(
        java.toString(),
        "-Xmx1G",
        "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+EnableDynamicAgentLoading",
        "-Djdk.attach.allowAttachSelf=true",
        "-Dfile.encoding=UTF-8",
        "--add-modules=jdk.incubator.vector",
        "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Dnode.environment=pangolin_test",
        "-Dnode.id=pangolin-test-node",
        "-Dnode.internal-address=127.0.0.1",
        "-Dnode.data-dir=" + data,
        "-Dconfig=" + etc.resolve("config.properties"),
        "-Dlog.levels-file=" + etc.resolve("log.properties"),
        "-cp", home.resolve("lib") + "/*",
        "io.trino.server.TrinoServer"));
    Path log = workDir.resolve("server.log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    // Should the test JVM be stopped before its @AfterAll runs, Trino must not outlive it.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    TrinoServer server = new TrinoServer(process, port, log);
    try {
      server.awaitReady();
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    return server;
  }

  String jdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + port;
  }

  Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "pangolin-test");
    return DriverManager.getConnection(jdbcUrl(), props);
  }

  /** Rows of a query, each as a list of column values. */
  List<List<Object>> rows(String sql) throws SQLException {
    return withNodes(() -> {
      try (Connection conn = connect(); Statement stmt = conn.createStatement();
          java.sql.ResultSet rs = stmt.executeQuery(sql)) {
        List<List<Object>> rows = new ArrayList<>();
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          List<Object> row = new ArrayList<>();
          for (int i = 1; i <= columns; i++) {
            row.add(rs.getObject(i));
          }
          rows.add(row);
        }
        return rows;
      }
    });
  }

  /** Runs a statement that returns no rows of interest (DDL, INSERT). */
  void update(String sql) throws SQLException {
    withNodes(() -> {
      try (Connection conn = connect(); Statement stmt = conn.createStatement()) {
        stmt.execute(sql);
        return null;
      }
    });
  }

  /**
   * Trino's scheduler learns of its own node a moment after the node lists itself as active; a query in that
   * moment fails with "No nodes available", and is simply run again. Other failures carry the server's log tail.
   */
  private <T> T withNodes(TrinoCall<T> call) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (SQLException e) {
        if (attempt >= 20 || !String.valueOf(e.getMessage()).contains("No nodes available")) {
          throw new SQLException(e.getMessage() + "\nTrino log:\n" + logTail(), e);
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  @FunctionalInterface
  private interface TrinoCall<T> {
    T run() throws SQLException;
  }

  /** The server's console output, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("Trino exited with " + process.exitValue() + ":\n" + logTail());
      }
      // The server answers before it has loaded catalogs and registered itself as a worker, and a query needs an
      // active node to be scheduled on: wait until the server lists itself as one.
      try (Connection conn = connect(); Statement stmt = conn.createStatement();
          java.sql.ResultSet rs = stmt.executeQuery(
              "SELECT count(*) FROM system.runtime.nodes WHERE state = 'active'")) {
        if (rs.next() && rs.getLong(1) > 0) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("Trino did not become ready in " + START_TIMEOUT + " (last error: "
        + (last == null ? "none" : last.getMessage()) + "):\n" + logTail());
  }

  @Override
  public void close() {
    stop(process);
  }

  /** Asks a server process to stop, and kills it if it has not within 30 seconds. */
  static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static String requiredProperty(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("System property " + name + " is not set; run the tests through Maven");
    }
    return value;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
