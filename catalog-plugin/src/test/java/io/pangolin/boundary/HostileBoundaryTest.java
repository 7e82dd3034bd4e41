package io.pangolin.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attacks 2, 7, 8 and 9: raw writes and locks on Pangolin's tables, helpers called by name, session settings that
 * older versions obeyed, and a long-held read transaction. Each kind of principal tries each; every attack ends by
 * comparing a dump of every Pangolin table with the one taken before it.
 */
class HostileBoundaryTest {

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void rawWritesAndLocksAreRefusedOnEveryTable(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> succeeded = new ArrayList<>();
    List<String> tables = scene.tables();
    // The JDBC layout views take writes through their triggers; a lock on a view reaches the tables under it.
    List<String> views = List.of("pangolin_jdbc.iceberg_tables", "pangolin_jdbc.iceberg_namespace_properties");
    for (String principal : scene.principals()) {
      try (Connection c = scene.connect(principal); Statement s = c.createStatement()) {
        for (String table : tables) {
          String t = "pangolin." + table;
          // A plain column: identity and generated columns are refused for what they are, before privileges.
          String column = scene.strings("SELECT attname FROM pg_attribute WHERE attrelid = '" + t
              + "'::regclass AND attnum > 0 AND attidentity = '' AND attgenerated = '' AND NOT attisdropped"
              + " ORDER BY attnum").get(0);
          for (String sql : List.of(
              "INSERT INTO " + t + " DEFAULT VALUES",
              "INSERT INTO " + t + " (" + column + ") SELECT " + column + " FROM " + t,
              "UPDATE " + t + " SET " + column + " = " + column,
              "DELETE FROM " + t,
              "TRUNCATE " + t,
              "TRUNCATE " + t + " CASCADE",
              "LOCK TABLE " + t + " IN ACCESS EXCLUSIVE MODE",
              "LOCK TABLE " + t + " IN SHARE MODE",
              "LOCK TABLE " + t + " IN ROW SHARE MODE",
              "SELECT 1 FROM " + t + " FOR UPDATE",
              "SELECT 1 FROM " + t + " FOR NO KEY UPDATE",
              "SELECT 1 FROM " + t + " FOR SHARE",
              "SELECT 1 FROM " + t + " FOR KEY SHARE")) {
            attempt(c, s, principal, sql, null, succeeded);
          }
        }
        // The views' write grant (JdbcCatalog deletes through them) lets a principal lock the view itself, a known
        // limit bounded by its idle timeout (see below); what must never happen is a lock on Pangolin's tables.
        for (String v : views) {
          for (String sql : List.of("LOCK TABLE " + v + " IN ACCESS EXCLUSIVE MODE",
              "LOCK TABLE " + v + " IN SHARE MODE", "SELECT 1 FROM " + v + " FOR UPDATE",
              "SELECT 1 FROM " + v + " FOR KEY SHARE")) {
            attempt(c, s, principal, sql, v, succeeded);
          }
        }
      }
    }
    assertThat(succeeded).as("raw writes and locks that SUCCEEDED on %s", server).isEmpty();
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  /** Runs one statement in a transaction that is rolled back; records it when it was not refused with 42501. */
  private static void attempt(Connection c, Statement s, String principal, String sql, String lockedItself,
      List<String> succeeded) throws SQLException {
    c.setAutoCommit(false);
    try {
      s.execute(sql);
      // Accepted: harmless only if it took no lock stronger than ACCESS SHARE (a row-locking clause on a view
      // whose rows come from a UNION has no row to lock).
      try (ResultSet rs = s.executeQuery("""
          SELECT string_agg(DISTINCT l.relation::regclass || ' ' || l.mode, ', ') FROM pg_locks l
          WHERE l.pid = pg_backend_pid() AND l.locktype IN ('relation', 'tuple') AND l.mode <> 'AccessShareLock'
            AND l.relation <> 'pg_locks'::regclass""" + (lockedItself == null ? ""
          : " AND l.relation <> '" + lockedItself + "'::regclass"))) {
        rs.next();
        if (rs.getString(1) != null) {
          succeeded.add(principal + ": " + sql + " took " + rs.getString(1));
        }
      }
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        succeeded.add(principal + ": " + sql + " failed with " + e.getSQLState() + " (not a refusal): "
            + e.getMessage());
      }
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void helpersAreOutOfReachAndGcQuestionsAboutGlobexAreRefused(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> helpers = scene.strings("""
        SELECT format('SELECT pangolin_private.%I(%s)', p.proname,
                      (SELECT string_agg('NULL::' || format_type(t, NULL), ', ') FROM unnest(p.proargtypes::oid[]) t))
        FROM pg_proc p WHERE p.pronamespace = 'pangolin_private'::regnamespace AND p.prorettype <> 'trigger'::regtype
        ORDER BY 1""");
    assertThat(helpers).hasSizeGreaterThan(10);
    for (String principal : scene.principals()) {
      for (String call : helpers) {
        assertThat(scene.refused(principal, call)).as("%s as %s", call, principal).isEqualTo("42501");
      }
      // The questions gc asks, about a row and a location of globex's.
      scene.refused(principal, "SELECT pangolin.location_in_use('%s', %d)".formatted(HostileScene.GX_ROOT,
          scene.globexDropped));
      emptyOrRefused(scene, principal, "SELECT * FROM pangolin.ref_holders(%d, %d, '{gx_hidden_ns}', 'gx_ledger',"
          .formatted(scene.globexCatalog, scene.globexRef) + " false)");
      emptyOrRefused(scene, principal, "SELECT * FROM pangolin.ref_holders(%d, NULL, '{gx_hidden_ns}',"
          .formatted(scene.globexCatalog) + " 'gx_ledger', true)");
    }
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  private static void emptyOrRefused(HostileScene scene, String principal, String sql) {
    try {
      assertThat(scene.allowed(principal, sql)).as("%s as %s", sql, principal).isEmpty();
    } catch (SQLException refused) {
      assertThat(refused.getSQLState()).as("%s as %s", sql, principal).isEqualTo("42501");
    }
  }

  /**
   * acme's administrator holds GC on acme only; location_in_use, asked about one of acme's graveyard rows, must
   * not answer whether globex keeps files under a location (a cross-tenant oracle on any path).
   */
  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void locationInUseAnswersNothingAboutOtherTenants(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.shared(server);
    String before = scene.dump(true);
    List<String> answer = scene.allowed(scene.tenantAdmin, "SELECT pangolin.location_in_use('%s', %d)"
        .formatted(HostileScene.GX_ROOT + "/gx_hidden_ns", scene.acmeDropped));
    assertThat(answer).as("location_in_use(globex's root, acme's dropped row) as acme's admin on %s", server)
        .containsExactly("f");
    assertThat(scene.dump(true)).isEqualTo(before);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void sessionSettingsHaveNoEffectOnDrops(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.fresh(server);
    String devLedger = HostileScene.ACME_ROOT + "/finance/ledger/metadata/00002.json";
    try (Connection c = scene.connect(scene.engine); Statement s = c.createStatement()) {
      // V7 read pangolin.purge_requested and V11 pangolin.moving from the session; any caller can set them.
      s.execute("SET pangolin.moving = on");
      s.execute("SET pangolin.purge_requested = on");
      assertThat(one(s, "SELECT pangolin.drop_relation(%d, '{sales}', 'orders', 'TABLE', false)"
          .formatted(scene.acmeCatalog))).isEqualTo("1");
      assertThat(one(s, "SELECT pangolin.ref_drop(%d, '{finance}', 'ledger', 'TABLE', '%s', false)"
          .formatted(scene.acmeRef, devLedger))).isEqualTo("1");
    }
    assertThat(scene.strings("""
        SELECT format('%s %s %s', name, ref_id IS NOT NULL, purge_requested) FROM pangolin.dropped_relations
        WHERE name IN ('orders', 'ledger') ORDER BY name"""))
        .as("graveyard rows (name, on a branch, purge requested): kept, not marked for purge").containsExactly("ledger t f", "orders f f");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void aLongReadTransactionCannotBlockAnotherPrincipalsCommit(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.fresh(server);
    String ledger = HostileScene.ACME_ROOT + "/finance/ledger/metadata/00001.json";
    try (Connection idle = scene.connect(scene.groupMember); Statement s = idle.createStatement()) {
      idle.setAutoCommit(false);
      s.execute("SELECT * FROM pangolin.relations");
      s.execute("SELECT * FROM pangolin_jdbc.iceberg_tables");
      // Nothing stronger than ACCESS SHARE may be added inside the open transaction.
      for (String sql : List.of("LOCK TABLE pangolin.relations IN ROW SHARE MODE",
          "SELECT 1 FROM pangolin.relations FOR KEY SHARE")) {
        s.execute("SAVEPOINT try");
        try {
          s.execute(sql);
          throw new AssertionError("ATTACK SUCCEEDED on " + server + " as " + scene.groupMember + ": " + sql);
        } catch (SQLException expected) {
          assertThat(expected.getSQLState()).as(sql).isEqualTo("42501");
          s.execute("ROLLBACK TO SAVEPOINT try");
        }
      }
      assertThat(scene.strings("SELECT mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
          + " WHERE a.usename = '" + scene.groupMember + "' AND l.locktype = 'relation'"))
          .as("locks the idle reader holds").allMatch("AccessShareLock"::equals);
      try (Connection writer = scene.connect(scene.engine);
          PreparedStatement swap = writer.prepareStatement(
              "SELECT pangolin.swap_pointer(?, ?, '{finance}', 'ledger', 'TABLE', ?)")) {
        try (Statement w = writer.createStatement()) {
          w.execute("SET statement_timeout = '2s'");
        }
        swap.setString(1, ledger.replace("00001", "00003"));
        swap.setLong(2, scene.acmeCatalog);
        swap.setString(3, ledger);
        try (ResultSet rs = swap.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).as("the commit completes while the reader idles").isEqualTo(1);
        }
      }
      idle.rollback();
    }
  }

  /**
   * The one lock a principal can take beyond ACCESS SHARE is on a JDBC layout view itself, since JdbcCatalog needs
   * DELETE on the views and PostgreSQL lets DELETE lock. It locks none of Pangolin's tables (the plugin never
   * waits), and the holder's idle-in-transaction bound, which principal create sets on every principal, ends it:
   * another client's read through the view then completes.
   */
  @ParameterizedTest
  @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
  void aLockOnALayoutViewEndsWithItsHoldersIdleBound(TestPostgres server) throws Exception {
    HostileScene scene = HostileScene.fresh(server);
    try (Connection su = server.dataSource(scene.url).getConnection(); Statement s = su.createStatement()) {
      s.execute("ALTER ROLE " + scene.groupMember + " SET idle_in_transaction_session_timeout = '1s'");
    }
    try (Connection holder = scene.connect(scene.groupMember); Statement h = holder.createStatement()) {
      holder.setAutoCommit(false);
      h.execute("LOCK TABLE pangolin_jdbc.iceberg_tables IN ACCESS EXCLUSIVE MODE");
      try (Connection reader = scene.connect(scene.engine); Statement r = reader.createStatement()) {
        r.execute("SET statement_timeout = '30s'");
        r.execute("SET lock_timeout = '200ms'");
        assertThat(one(r, "SELECT count(*) FROM pangolin.relations")).as("no table of Pangolin's is locked")
            .isNotNull();
        r.execute("SET lock_timeout = 0");
        assertThat(one(r, "SELECT count(*) FROM pangolin_jdbc.iceberg_tables"))
            .as("the read through the view completes once the server ends the holder").isNotNull();
      }
      assertThatThrownBy(() -> h.execute("SELECT 1")).as("the server ended the idle holder")
          .isInstanceOf(SQLException.class);
    }
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
