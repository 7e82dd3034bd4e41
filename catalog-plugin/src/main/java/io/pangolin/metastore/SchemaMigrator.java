package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/** Pangolin's schema in the catalog database, versioned by the Flyway migrations under db/pangolin. */
public final class SchemaMigrator {

  public static final String SCHEMA = "pangolin";
  /** The newest migration in db/pangolin; a test keeps it equal to what Flyway finds. */
  public static final String LATEST_VERSION = "19";

  /**
   * The oldest PostgreSQL major version Pangolin runs on: migration V4's row-level security views are created
   * {@code WITH (security_invoker)}, which PostgreSQL 15 added. {@code migrate} refuses older servers.
   */
  public static final int MIN_POSTGRES_MAJOR = 15;
  /**
   * The newest PostgreSQL major version the tests run on. Newer servers are not refused: Pangolin uses nothing a
   * new major is known to remove, and refusing them would block an upgrade for an unchecked suspicion.
   */
  public static final int NEWEST_TESTED_POSTGRES_MAJOR = 18;

  private static final String CURRENT_VERSION = """
      SELECT version FROM pangolin.schema_history
      WHERE success AND version IS NOT NULL
      ORDER BY installed_rank DESC LIMIT 1
      """;

  private final Database db;
  private final Flyway flyway;

  public SchemaMigrator(DataSource dataSource) {
    this(Database.of(dataSource));
  }

  /** On {@code db}, whose login explains a connection the server refuses. */
  public SchemaMigrator(Database db) {
    this.db = requireNonNull(db, "db");
    this.flyway =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(db.dataSource())
            .schemas(SCHEMA)
            .createSchemas(true)
            // Versioned migrations (tables, data, roles) and the repeatable definitions (functions, policies, triggers,
            // views) live apart, so that a migration to an older target, as tests and upgrades make, applies no
            // definition written for the newest tables.
            .locations("classpath:db/pangolin", "classpath:db/definitions")
            .table("schema_history")
            .failOnMissingLocations(true)
            // V12 drops the old definitions and the repeatable R__ migrations define them again: one transaction,
            // so that no session ever sees the schema between the two.
            .group(true)
            .load();
  }

  /**
   * Applies pending migrations and returns the schema version reached. Refuses a server older than {@link
   * #MIN_POSTGRES_MAJOR} before Flyway creates anything: on such a server the first migrations would apply and a
   * later one fail, leaving a half-made schema to clean up by hand.
   */
  public String migrate() {
    requireSupportedServer(serverVersionNum());
    MigrateResult result = flyway("migrate", flyway::migrate);
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : currentVersion().orElse("none");
  }

  /** The version applied to the database, empty when Pangolin's schema has not been created. */
  public Optional<String> currentVersion() {
    MigrationInfo current = flyway("read the schema version", () -> flyway.info().current());
    return Optional.ofNullable(current).map(MigrationInfo::getVersion).map(v -> v.getVersion());
  }

  /**
   * Runs a Flyway call, reporting a connection it could not open as every other one is reported, instead of in
   * Flyway's block of SQL State, Error Code and Message lines.
   */
  private <T> T flyway(String what, Supplier<T> call) {
    try {
      return call.get();
    } catch (FlywayException e) {
      if (SqlErrors.isConnectFailure(e)) {
        throw db.connectFailed(what, e);
      }
      throw e;
    }
  }

  /** The newest version this build knows. */
  public String latestVersion() {
    // Repeatable migrations (the definitions) have no version.
    return Arrays.stream(flyway("read the schema versions", () -> flyway.info().all())).map(MigrationInfo::getVersion).filter(Objects::nonNull)
        .reduce((first, second) -> second).map(v -> v.getVersion()).orElse("none");
  }

  private int serverVersionNum() {
    Connection conn = db.connect("migrate");
    try (conn;
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT current_setting('server_version_num')::int")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new StoreException("Cannot read the PostgreSQL server version: " + SqlErrors.serverMessage(e), e);
    }
  }

  /** Fails, naming the server found, what is needed and the way out, when {@code serverVersionNum} is too old. */
  static void requireSupportedServer(int serverVersionNum) {
    if (serverVersionNum / 10000 < MIN_POSTGRES_MAJOR) {
      throw new IllegalStateException("PostgreSQL " + versionName(serverVersionNum) + " is not supported: Pangolin"
          + " needs PostgreSQL " + MIN_POSTGRES_MAJOR + " or later (tested on " + MIN_POSTGRES_MAJOR + " to "
          + NEWEST_TESTED_POSTGRES_MAJOR + "; its row-level security views use security_invoker, added in "
          + MIN_POSTGRES_MAJOR + "), so upgrade the server and migrate again; nothing was changed in the database.");
    }
  }

  /** 140022 is 14.22; before 10 the major had two parts, so 90624 is 9.6.24. */
  static String versionName(int serverVersionNum) {
    int major = serverVersionNum / 10000;
    if (major >= 10) {
      return major + "." + serverVersionNum % 10000;
    }
    return major + "." + serverVersionNum / 100 % 100 + "." + serverVersionNum % 100;
  }

  /**
   * Fails with the way out when the database is behind this build. One indexed read of Flyway's history, so
   * that opening a catalog stays cheap (engines open catalogs several times per job).
   */
  public static void requireCurrent(DataSource dataSource) {
    String current;
    try (Connection conn = dataSource.getConnection(); Statement stmt = conn.createStatement()) {
      try (ResultSet rs = stmt.executeQuery(CURRENT_VERSION)) {
        current = rs.next() ? rs.getString(1) : "none";
      } catch (SQLException e) {
        RuntimeException refused = SqlErrors.forbidden(e, SqlErrors.principal(conn), "open a Pangolin catalog");
        if (refused != null) {
          throw refused;
        }
        throw e;
      }
    } catch (SQLException e) {
      if (!SqlErrors.is(e, SqlErrors.UNDEFINED_TABLE)) {
        throw new StoreException("Cannot read the Pangolin schema version: " + SqlErrors.serverMessage(e), e);
      }
      current = "none";
    }
    if (current.equals("none") || Integer.parseInt(current) < Integer.parseInt(LATEST_VERSION)) {
      throw new IllegalStateException(
          "The Pangolin catalog database schema is at version " + current + " but this plugin needs "
              + LATEST_VERSION + ". Migrate it with 'java -jar pangolin-catalog-<version>.jar schema migrate --uri <jdbc-url>"
              + " --user <user>', or set the catalog property 'pangolin.schema.auto-migrate=true' to let the"
              + " catalog migrate at start.");
    }
  }
}
