package io.pangolin.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real PgBouncer (Debian package {@code pgbouncer}) in front of the test PostgreSQL server, as a child process
 * with its configuration under target/. Run as root (as CI does), it is told to switch to the unprivileged
 * {@code nobody} user, since PgBouncer refuses to run as root.
 */
public final class TestPgBouncer implements AutoCloseable {

  public static final String BINARY = "/usr/sbin/pgbouncer";

  /** PgBouncer's {@code pool_mode}. */
  public enum PoolMode {
    SESSION,
    TRANSACTION
  }

  private final Process process;
  private final int port;
  private final Path dir;

  private TestPgBouncer(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  /** Starts PgBouncer in front of the server of {@code databaseUrl} (any database of it is reachable). */
  public static TestPgBouncer start(String databaseUrl, PoolMode mode) {
    if (!new File(BINARY).canExecute()) {
      throw new IllegalStateException(BINARY + " is missing: install the Debian package 'pgbouncer'"
          + " (apt-get install -y pgbouncer; .ci/run does this)");
    }
    URI server = URI.create(databaseUrl.substring("jdbc:".length()));
    try {
      Path dir = Files.createDirectories(Path.of("target", "pgbouncer", UUID.randomUUID().toString()))
          .toAbsolutePath();
      int port = freePort();
      Path userlist = dir.resolve("userlist.txt");
      Files.writeString(userlist, quoted(TestPostgres.get().user()) + " " + quoted(TestPostgres.get().password())
          + "\n");
      Path ini = dir.resolve("pgbouncer.ini");
      Files.writeString(ini, String.join("\n",
          "[databases]",
          "* = host=" + server.getHost() + " port=" + server.getPort(),
          "[pgbouncer]",
          "listen_addr = 127.0.0.1",
          "listen_port = " + port,
          "unix_socket_dir =",
          "auth_type = plain",
          "auth_file = " + userlist,
          "pool_mode = " + mode.name().toLowerCase(java.util.Locale.ROOT),
          "default_pool_size = 20",
          "max_client_conn = 200",
          "ignore_startup_parameters = extra_float_digits,options",
          ""));
      readableByAll(dir);
      List<String> command = new ArrayList<>(List.of(BINARY));
      if ("root".equals(System.getProperty("user.name"))) {
        command.addAll(List.of("-u", "nobody"));
      }
      command.add(ini.toString());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("pgbouncer.log").toFile())
          .start();
      TestPgBouncer bouncer = new TestPgBouncer(process, port, dir);
      bouncer.awaitListening();
      return bouncer;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start PgBouncer", e);
    }
  }

  /** The JDBC URL of {@code databaseUrl}'s database through this PgBouncer. */
  public String jdbcUrl(String databaseUrl) {
    String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void awaitListening() throws IOException {
    for (int i = 0; i < 200; i++) {
      if (!process.isAlive()) {
        throw new IllegalStateException("PgBouncer exited with " + process.exitValue() + ": "
            + Files.readString(dir.resolve("pgbouncer.log")));
      }
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException("PgBouncer did not listen on port " + port + ": "
        + Files.readString(dir.resolve("pgbouncer.log")));
  }

  private static void readableByAll(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
      }
    }
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\"", "\"\"") + "\"";
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while starting PgBouncer", e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
