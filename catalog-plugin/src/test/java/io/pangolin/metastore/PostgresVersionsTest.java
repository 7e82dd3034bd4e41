package io.pangolin.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.SupportedPostgres;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Which PostgreSQL servers {@code migrate} accepts, proved on real servers of those versions. */
class PostgresVersionsTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void migratesAFreshDatabaseToTheLatestVersion(TestPostgres server) {
    DataSource ds = server.dataSource(server.newDatabase());

    assertThat(new SchemaMigrator(ds).migrate()).isEqualTo(SchemaMigrator.LATEST_VERSION);

    assertThat(new SchemaMigrator(ds).currentVersion()).contains(SchemaMigrator.LATEST_VERSION);
    assertThatCode(() -> SchemaMigrator.requireCurrent(ds)).doesNotThrowAnyException();
    assertThat(new SchemaMigrator(ds).migrate()).as("a second run has nothing to do")
        .isEqualTo(SchemaMigrator.LATEST_VERSION);
  }

  @Test
  void theSupportedServersAreTheMajorsTheyClaim() {
    assertThat(SupportedPostgres.oldestAndNewest().map(server -> server.serverVersionNum() / 10000))
        .containsExactly(SchemaMigrator.MIN_POSTGRES_MAJOR, SchemaMigrator.NEWEST_TESTED_POSTGRES_MAJOR);
  }

  @Test
  void refusesPostgres14BeforeCreatingAnything() throws SQLException {
    TestPostgres server = TestPostgres.version(14);
    DataSource ds = server.dataSource(server.newDatabase());
    String found = "14." + server.serverVersionNum() % 10000;
    List<String> before = schemasAndRoles(ds);

    assertThatThrownBy(() -> new SchemaMigrator(ds).migrate())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("PostgreSQL " + found + " is not supported: Pangolin needs PostgreSQL 15 or later (tested on 15"
            + " to 18; its row-level security views use security_invoker, added in 15), so upgrade the server and"
            + " migrate again; nothing was changed in the database.");

    assertThat(schemasAndRoles(ds)).as("no schema or role created").isEqualTo(before)
        .doesNotContain("schema " + SchemaMigrator.SCHEMA);
    assertThat(new SchemaMigrator(ds).currentVersion()).isEmpty();
  }

  /** Why the minimum is 15: without the check, 14 applies the first migrations and stops at V4. */
  @Test
  void withoutTheCheckPostgres14WouldBeLeftHalfMigrated() {
    TestPostgres server = TestPostgres.version(14);
    DataSource ds = server.dataSource(server.newDatabase());
    Flyway flyway = Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(ds)
        .schemas(SchemaMigrator.SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/pangolin")
        .table("schema_history")
        .load();

    assertThatThrownBy(flyway::migrate).hasMessageContaining("security_invoker");
    assertThat(new SchemaMigrator(ds).currentVersion()).contains("3");
  }

  @Test
  void newerMajorsThanTheNewestTestedAreAccepted() {
    assertThatCode(() -> SchemaMigrator.requireSupportedServer(190000)).doesNotThrowAnyException();
    assertThatCode(() -> SchemaMigrator.requireSupportedServer(150000)).doesNotThrowAnyException();
    assertThatThrownBy(() -> SchemaMigrator.requireSupportedServer(149999))
        .hasMessageStartingWith("PostgreSQL 14.9999 is not supported");
  }

  @Test
  void namesVersionsAsPostgresDoes() {
    assertThat(SchemaMigrator.versionName(140022)).isEqualTo("14.22");
    assertThat(SchemaMigrator.versionName(180000)).isEqualTo("18.0");
    assertThat(SchemaMigrator.versionName(90624)).isEqualTo("9.6.24");
  }

  private static List<String> schemasAndRoles(DataSource ds) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection conn = ds.getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT 'schema ' || nspname FROM pg_namespace"
            + " UNION ALL SELECT 'role ' || rolname FROM pg_roles ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
