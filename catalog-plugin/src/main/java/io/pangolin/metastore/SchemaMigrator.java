package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/** Pangolin's schema in the catalog database, versioned by the Flyway migrations under db/pangolin. */
public final class SchemaMigrator {

  public static final String SCHEMA = "pangolin";
  /** The newest migration in db/pangolin; a test keeps it equal to what Flyway finds. */
  public static final String LATEST_VERSION = "10";

  private static final String CURRENT_VERSION = """
      SELECT version FROM pangolin.schema_history
      WHERE success AND version IS NOT NULL
      ORDER BY installed_rank DESC LIMIT 1
      """;

  private final Flyway flyway;

  public SchemaMigrator(DataSource dataSource) {
    requireNonNull(dataSource, "dataSource");
    this.flyway =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(dataSource)
            .schemas(SCHEMA)
            .createSchemas(true)
            .locations("classpath:db/pangolin")
            .table("schema_history")
            .failOnMissingLocations(true)
            .load();
  }

  /** Applies pending migrations and returns the schema version reached. */
  public String migrate() {
    MigrateResult result = flyway.migrate();
    return result.targetSchemaVersion != null ? result.targetSchemaVersion : currentVersion().orElse("none");
  }

  /** The version applied to the database, empty when Pangolin's schema has not been created. */
  public Optional<String> currentVersion() {
    MigrationInfo current = flyway.info().current();
    return Optional.ofNullable(current).map(info -> info.getVersion().getVersion());
  }

  /** The newest version this build knows. */
  public String latestVersion() {
    MigrationInfo[] all = flyway.info().all();
    return all.length == 0 ? "none" : all[all.length - 1].getVersion().getVersion();
  }

  /**
   * Fails with the way out when the database is behind this build. One indexed read of Flyway's history, so
   * that opening a catalog stays cheap (engines open catalogs several times per job).
   */
  public static void requireCurrent(DataSource dataSource) {
    String current;
    try (Connection conn = dataSource.getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(CURRENT_VERSION)) {
      current = rs.next() ? rs.getString(1) : "none";
    } catch (SQLException e) {
      if (!SqlErrors.is(e, SqlErrors.UNDEFINED_TABLE)) {
        throw new StoreException("Cannot read the Pangolin schema version: " + e.getMessage(), e);
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
