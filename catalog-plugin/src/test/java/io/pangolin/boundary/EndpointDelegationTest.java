package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.delegation.ActingDataSource;
import io.pangolin.metastore.delegation.TokenStore;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * pangolin serve's login acts for a principal only with a token that principal's own session minted, and then is
 * exactly that principal; by itself, or with a forged, expired or orphaned token, it is nobody. Every attack is
 * made as the endpoint's own login, which is what a compromised endpoint would hold.
 */
class EndpointDelegationTest {

  static List<TestPostgres> servers() {
    return BoundaryDatabases.servers().toList();
  }

  @ParameterizedTest
  @MethodSource("servers")
  void theEndpointActsAsThePrincipalWhoseTokenItHolds(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    String endpoint = endpointLogin(scene);
    String token = issue(scene, scene.scoped);

    try (Connection acting = acting(scene, endpoint, token).getConnection()) {
      assertThat(single(acting, "SELECT pangolin.acting_principal()")).isEqualTo(scene.scoped);
      // Row-level security narrows to the principal: scoped reads sales only, as its own login does.
      assertThat(rows(acting, "SELECT array_to_string(levels, '.') FROM pangolin.namespaces ORDER BY 1"))
          .isEqualTo(rowsAs(scene, scene.scoped, "SELECT array_to_string(levels, '.') FROM pangolin.namespaces"
              + " ORDER BY 1"))
          .containsExactly("sales");
      // What it changes is recorded as the principal's change, not the endpoint's.
      single(acting, "SELECT pangolin.revoke_tokens()::text");
    }
    assertThat(scene.strings("SELECT count(*)::text FROM pangolin_private.tokens WHERE principal = '"
        + scene.scoped + "'")).containsExactly("0");
  }

  @ParameterizedTest
  @MethodSource("servers")
  void auditRowsNameThePrincipalTheEndpointActsFor(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    String endpoint = endpointLogin(scene);
    try (Connection acting = acting(scene, endpoint, issue(scene, scene.engine)).getConnection()) {
      single(acting, "SELECT pangolin.create_namespace(" + scene.acmeCatalog + ", ARRAY['by_endpoint'], '{}')::text");
    }
    assertThat(scene.strings("SELECT principal FROM pangolin.audit_log WHERE object_name LIKE '%by_endpoint%'"))
        .containsOnly(scene.engine).isNotEmpty();
  }

  @ParameterizedTest
  @MethodSource("servers")
  void byItselfTheEndpointIsNobody(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    String endpoint = endpointLogin(scene);
    try (Connection alone = DriverManager.getConnection(scene.url, endpoint, scene.password)) {
      assertRefused(alone, "SELECT pangolin.acting_principal()", "42501", "acts only for an authenticated principal");
      assertRefused(alone, "SELECT count(*) FROM pangolin.namespaces", "42501", "acts only for");
      // It cannot mint a token, plant the acting table, write it, or become a principal another way.
      assertRefused(alone, "SELECT * FROM pangolin.issue_token()", "42501", "may not hold a token");
      assertRefused(alone, "CREATE TEMPORARY TABLE pangolin_acting (principal name)", "42501", "temporary");
      assertRefused(alone, "SET ROLE " + scene.engine, "42501", "permission denied");
      assertRefused(alone, "SET SESSION AUTHORIZATION " + scene.engine, "42501", "permission denied");
      assertRefused(alone, "SELECT * FROM pangolin_private.tokens", "42501", "permission denied");
    }
  }

  @ParameterizedTest
  @MethodSource("servers")
  void theActingRowBelongsToTheOwnerAndOnlyEndsTheDelegationWhenDiscarded(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    String endpoint = endpointLogin(scene);
    String token = issue(scene, scene.scoped);
    try (Connection conn = DriverManager.getConnection(scene.url, endpoint, scene.password)) {
      single(conn, "SELECT pangolin.act_as('" + token + "')");
      assertRefused(conn, "UPDATE pg_temp.pangolin_acting SET principal = '" + scene.engine + "'", "42501",
          "permission denied");
      assertRefused(conn, "INSERT INTO pg_temp.pangolin_acting VALUES ('" + scene.engine + "')", "42501",
          "permission denied");
      assertRefused(conn, "DROP TABLE pg_temp.pangolin_acting", "42501", "must be owner");
      assertRefused(conn, "ALTER TABLE pg_temp.pangolin_acting OWNER TO " + endpoint, "42501", "must be owner");
      assertThat(single(conn, "SELECT pangolin.acting_principal()")).isEqualTo(scene.scoped);
      single(conn, "DISCARD TEMP; SELECT 'discarded'");
      assertRefused(conn, "SELECT pangolin.acting_principal()", "42501", "acts only for");
    }
  }

  @ParameterizedTest
  @MethodSource("servers")
  void forgedExpiredAndOrphanedTokensAreRefusedAndEndTheDelegation(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    String endpoint = endpointLogin(scene);
    String good = issue(scene, scene.engine);
    String expired = issue(scene, scene.scoped);
    scene.superuser("UPDATE pangolin_private.tokens SET expires_at = now() - interval '1 second',"
        + " issued_at = now() - interval '1 hour' WHERE principal = '" + scene.scoped + "'");
    String orphaned = issue(scene, scene.mover);
    scene.superuser("SELECT pangolin.forget_principal('" + scene.mover + "'); DROP ROLE " + scene.mover);

    List<String> forged = List.of(good.substring(0, good.length() - 1) + (good.endsWith("0") ? "1" : "0"),
        good.substring(0, 20), "", "x".repeat(10_000), expired, orphaned);
    try (Connection conn = DriverManager.getConnection(scene.url, endpoint, scene.password)) {
      for (String token : forged) {
        single(conn, "SELECT pangolin.act_as('" + good + "')");
        assertRefused(conn, "SELECT pangolin.act_as('" + token + "')", "28000", "token is not valid");
        single(conn, "SELECT pangolin.stop_acting()::text");
        assertRefused(conn, "SELECT pangolin.acting_principal()", "42501", "acts only for");
      }
    }
    // The refusal names no token, and a plugin-side checkout with one fails before any statement runs.
    assertThatThrownBy(() -> acting(scene, endpoint, expired).getConnection().close())
        .isInstanceOf(SQLException.class).hasMessageNotContaining(expired)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
  }

  @ParameterizedTest
  @MethodSource("servers")
  void onlyALoginPrincipalMayHoldAToken(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    try (Connection c = DriverManager.getConnection(scene.url, endpointLogin(scene), scene.password)) {
      assertRefused(c, "SELECT * FROM pangolin.issue_token()", "42501", "may not hold a token");
    }
    try (Connection c = DriverManager.getConnection(scene.url, scene.platformAdmin, scene.password)) {
      assertRefused(c, "SELECT * FROM pangolin.issue_token()", "42501", "permission denied for function");
    }
    try (Connection c = scene.connect(scene.engine)) {
      assertRefused(c, "SELECT * FROM pangolin.issue_token(interval '2 hours')", "22023", "1 minute to 1 hour");
      assertRefused(c, "SELECT pangolin.act_as('anything')", "42501", "permission denied");
      assertRefused(c, "SELECT * FROM pangolin.exchange_token('anything')", "42501", "permission denied");
    }
  }

  @ParameterizedTest
  @MethodSource("servers")
  void anExchangeKeepsThePrincipalAndEndsTwelveHoursAfterThePasswordCheck(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    String endpoint = endpointLogin(scene);
    String first = issue(scene, scene.engine);
    TokenStore asEndpoint = new TokenStore(Database.of(dataSource(scene, endpoint)));
    TokenStore.Token second = asEndpoint.exchange(first, Duration.ofMinutes(30), e -> null);
    try (Connection acting = acting(scene, endpoint, second.value()).getConnection()) {
      assertThat(single(acting, "SELECT pangolin.acting_principal()")).isEqualTo(scene.engine);
    }
    assertThat(second.toString()).doesNotContain(second.value());
    scene.superuser("UPDATE pangolin_private.tokens SET authenticated_at = now() - interval '13 hours'"
        + " WHERE principal = '" + scene.engine + "'");
    assertThatThrownBy(() -> asEndpoint.exchange(second.value(), Duration.ofMinutes(30), e -> null))
        .hasMessageContaining("sign in again");
  }

  /** A login of pangolin serve in the scene's database: nobody until it acts for a principal. */
  static String endpointLogin(HostileScene scene) throws SQLException {
    String role = "serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    scene.superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + scene.password + "' IN ROLE pangolin_endpoint");
    return role;
  }

  /** A token minted by {@code principal}'s own session. */
  static String issue(HostileScene scene, String principal) throws SQLException {
    return new TokenStore(Database.of(dataSource(scene, principal))).issue(Duration.ofMinutes(10)).value();
  }

  private static ActingDataSource acting(HostileScene scene, String endpoint, String token) {
    return new ActingDataSource(dataSource(scene, endpoint), token);
  }

  static PGSimpleDataSource dataSource(HostileScene scene, String login) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(scene.url);
    ds.setUser(login);
    ds.setPassword(scene.password);
    return ds;
  }

  private static List<String> rowsAs(HostileScene scene, String login, String sql) throws SQLException {
    try (Connection c = scene.connect(login)) {
      return rows(c, sql);
    }
  }

  private static List<String> rows(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
      while (s.getResultSet() == null && (s.getMoreResults() || s.getUpdateCount() != -1)) {
        // skip to the first result set
      }
      try (ResultSet rs = s.getResultSet()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static void assertRefused(Connection c, String sql, String state, String message) {
    assertThatThrownBy(() -> {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }).as(sql).isInstanceOf(SQLException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo(state));
  }
}
