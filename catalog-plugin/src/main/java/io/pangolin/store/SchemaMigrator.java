package io.pangolin.store;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateResult;

/** Pangolin's schema in the catalog database, versioned by the Flyway migrations under db/pangolin. */
public final class SchemaMigrator {

  public static final String SCHEMA = "pangolin";
  public static final String JDBC_LAYOUT_SCHEMA = "pangolin_jdbc";

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

  /** Fails with the way out when the database is behind this build, or ahead of it. */
  public void requireCurrent() {
    MigrationInfoService info = flyway.info();
    MigrationInfo[] pending = info.pending();
    String current = Optional.ofNullable(info.current()).map(i -> i.getVersion().getVersion()).orElse("none");
    if (pending.length > 0) {
      throw new IllegalStateException(
          "The Pangolin catalog database schema is at version " + current + " but this plugin needs "
              + latestVersion() + " (pending: "
              + String.join(", ", Arrays.stream(pending).map(m -> m.getVersion().getVersion()).toList())
              + "). Migrate it with 'java -jar pangolin-catalog.jar schema migrate --uri <jdbc-url>', or set the"
              + " catalog property 'pangolin.schema.auto-migrate=true' to let the catalog migrate at start.");
    }
    if (info.applied().length > 0 && Arrays.stream(info.all()).anyMatch(m -> m.getState().isFailed())) {
      throw new IllegalStateException(
          "The Pangolin catalog database has a failed schema migration; repair it before use.");
    }
  }
}
