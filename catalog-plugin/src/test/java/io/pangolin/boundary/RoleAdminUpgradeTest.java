package io.pangolin.boundary;

import static io.pangolin.boundary.BoundaryDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * V13 on a database whose platform administrator was made the old way (CREATEROLE, ADMIN OPTION on
 * pangolin_principal) and made principals and a group with plain DDL: afterwards it holds no CREATEROLE and no
 * ADMIN OPTION, the memberships it granted stand, and the principals it made are managed through
 * pangolin_role_admin's functions (from PostgreSQL 16 only a role's administrators may alter or drop it).
 */
class RoleAdminUpgradeTest {

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void anOldPlatformAdministratorLosesCreateRoleAndItsPrincipalsStayManageable(TestPostgres server) throws Exception {
    String url = server.newDatabase();
    Flyway.configure(SchemaMigrator.class.getClassLoader()).dataSource(server.dataSource(url))
        .schemas(SchemaMigrator.SCHEMA).createSchemas(true).locations("classpath:db/pangolin")
        .table("schema_history").target("12").load().migrate();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String pa = "old_platform_" + suffix;
    String engine = "old_engine_" + suffix;
    String group = "old_group_" + suffix;
    String password = "pw-" + suffix;
    boolean modern = server.serverVersionNum() >= 160000;
    try (Connection su = BoundaryDatabases.superuser(server, url); Statement s = su.createStatement()) {
      // As the old AccessSql.CREATE_PLATFORM_ADMIN and PLATFORM_ADMIN_MANAGES_PRINCIPALS(_BEFORE_16) made one.
      s.execute("CREATE ROLE " + pa + " LOGIN CREATEROLE PASSWORD '" + password + "' IN ROLE pangolin_platform_admin");
      s.execute("GRANT pangolin_principal TO " + pa + " WITH ADMIN OPTION" + (modern ? ", INHERIT FALSE, SET FALSE"
          : ""));
    }
    try (Connection c = DriverManager.getConnection(url, pa, password); Statement s = c.createStatement()) {
      s.execute("CREATE ROLE " + engine + " LOGIN IN ROLE pangolin_principal");
      s.execute("CREATE ROLE " + group + " NOLOGIN IN ROLE pangolin_principal");
      s.execute("GRANT " + group + " TO " + engine);
    }

    new SchemaMigrator(server.dataSource(url)).migrate();

    try (Connection su = BoundaryDatabases.superuser(server, url)) {
      assertThat(rows(su, "SELECT rolcreaterole::text FROM pg_roles WHERE rolname = ?", pa)).containsExactly("false");
      assertThat(rows(su, "SELECT g.rolname || ' admin ' || m.admin_option FROM pg_auth_members m"
          + " JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = ?", pa))
          .containsExactly("pangolin_platform_admin admin false");
      assertThat(rows(su, "SELECT pg_has_role(?, ?, 'USAGE')::text", engine, group)).containsExactly("true");
    }
    try (Connection c = DriverManager.getConnection(url, pa, password); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("GRANT " + group + " TO " + pa)).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> s.execute("CREATE ROLE planted_" + suffix)).isInstanceOf(SQLException.class);
      assertThat(rows(c, "SELECT parameter || '=' || value || ' ' || coalesce(reason, 'set')"
          + " FROM pangolin.set_principal_bounds(?::name, '{\"statement_timeout\": \"1min\","
          + " \"temp_file_limit\": \"1GB\"}')", engine))
          .containsExactly("statement_timeout=1min set", "temp_file_limit=1GB set");
      assertThat(rows(c, "SELECT pangolin.remove_member(?::name, ?::name)::text", group, engine))
          .containsExactly("true");
      s.execute("SELECT pangolin.add_member('" + group + "', '" + engine + "')");
      assertThat(rows(c, "SELECT pangolin.drop_principal(?::name)::text", engine)).containsExactly("0");
      assertThat(rows(c, "SELECT pangolin.drop_principal(?::name)::text", group)).containsExactly("0");
    }
    try (Connection su = BoundaryDatabases.superuser(server, url); Statement s = su.createStatement()) {
      assertThat(rows(su, "SELECT count(*)::text FROM pg_roles WHERE rolname IN (?, ?)", engine, group))
          .containsExactly("0");
      s.execute("DROP ROLE " + pa);
    }
  }
}
