package io.pangolin.metastore.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.Database;
import io.pangolin.testing.TestCatalogs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Idempotency keys on a real database, used by two principals through their own logins: what begin answers
 * through a key's life (started, in progress, replayed, forgotten, expired), that a key is bound to its route and
 * request, that keys are per principal, and that a principal reaches the keys' table only through the functions.
 */
class IdempotencyStoreTest {

  private static final String ROUTE = "POST /v1/{prefix}/transactions/commit";
  private static final Duration LIFETIME = Duration.ofMinutes(30);
  private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private static final String ALICE = "idem_alice_" + SUFFIX;
  private static final String BOB = "idem_bob_" + SUFFIX;
  private static final String PASSWORD = "pw-" + UUID.randomUUID();
  private static String url;
  private static IdempotencyStore alice;
  private static IdempotencyStore bob;

  @BeforeAll
  static void principals() throws SQLException {
    url = TestCatalogs.migratedDatabase();
    for (String role : new String[] {ALICE, BOB}) {
      superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE pangolin_principal");
    }
    alice = new IdempotencyStore(Database.of(login(ALICE)));
    bob = new IdempotencyStore(Database.of(login(BOB)));
  }

  @AfterAll
  static void dropPrincipals() throws SQLException {
    superuser("DROP ROLE IF EXISTS " + ALICE);
    superuser("DROP ROLE IF EXISTS " + BOB);
  }

  @Test
  void aFinishedKeyReplaysItsAnswer() {
    UUID key = UUID.randomUUID();
    assertThat(alice.begin(key, ROUTE, digest("body"), LIFETIME)).isEqualTo(new Begin.Started());
    assertThat(alice.begin(key, ROUTE, digest("body"), LIFETIME)).isEqualTo(new Begin.InProgress());

    assertThat(alice.finish(key, 409, "{\"error\":{\"code\":409}}")).isTrue();

    assertThat(alice.begin(key, ROUTE, digest("body"), LIFETIME))
        .isEqualTo(new Begin.Replay(409, "{\"error\":{\"code\":409}}"));
    assertThat(alice.finish(key, 200, null)).as("a finished key is not finished again").isFalse();
  }

  @Test
  void anAnswerWithoutRecipeReplaysAnEmptyOne() {
    UUID key = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("empty"), LIFETIME);
    alice.finish(key, 204, null);

    assertThat(alice.begin(key, ROUTE, digest("empty"), LIFETIME)).isEqualTo(new Begin.Replay(204, ""));
  }

  @Test
  void aKeyIsBoundToItsRouteAndRequest() {
    UUID key = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("first"), LIFETIME);

    assertThat(alice.begin(key, ROUTE, digest("second"), LIFETIME)).isEqualTo(new Begin.Mismatch());
    assertThat(alice.begin(key, "POST /v1/{prefix}/namespaces", digest("first"), LIFETIME))
        .isEqualTo(new Begin.Mismatch());
    alice.finish(key, 200, "ns.t");
    assertThat(alice.begin(key, ROUTE, digest("second"), LIFETIME)).as("finished, too")
        .isEqualTo(new Begin.Mismatch());
  }

  @Test
  void keysArePerPrincipal() {
    UUID key = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("alice's"), LIFETIME);
    alice.finish(key, 200, "alice's answer");

    assertThat(bob.begin(key, ROUTE, digest("bob's"), LIFETIME)).isEqualTo(new Begin.Started());
    assertThat(bob.forget(key)).isTrue();
    assertThat(alice.begin(key, ROUTE, digest("alice's"), LIFETIME)).as("bob forgot only his own")
        .isEqualTo(new Begin.Replay(200, "alice's answer"));
    assertThat(bob.finish(key, 200, "bob's answer")).as("bob's key is gone; alice's is not his").isFalse();
  }

  @Test
  void aForgottenKeyStartsAgain() {
    UUID key = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("retry"), LIFETIME);

    assertThat(alice.forget(key)).isTrue();
    assertThat(alice.forget(key)).isFalse();
    assertThat(alice.begin(key, ROUTE, digest("another body"), LIFETIME)).isEqualTo(new Begin.Started());
  }

  @Test
  void anExpiredKeyCountsAsAbsentAndTheExpiredKeysOfThePrincipalAreRemoved() throws SQLException {
    UUID key = UUID.randomUUID();
    UUID stale = UUID.randomUUID();
    UUID bobs = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("old"), LIFETIME);
    alice.finish(key, 200, "old answer");
    alice.begin(stale, ROUTE, digest("stale"), LIFETIME);
    bob.begin(bobs, ROUTE, digest("bob's"), LIFETIME);
    superuser("UPDATE pangolin_private.idempotency_keys SET expires_at = now() - interval '1 second'"
        + " WHERE key IN ('" + key + "', '" + stale + "', '" + bobs + "')");

    assertThat(alice.begin(key, ROUTE, digest("new"), LIFETIME)).isEqualTo(new Begin.Started());
    assertThat(rows(stale)).as("alice's other expired key was removed").isZero();
    assertThat(rows(bobs)).as("bob's are his to clean up").isOne();
  }

  @Test
  void badInputIsRefusedWithWhatToGive() {
    UUID key = UUID.randomUUID();
    assertThatThrownBy(() -> alice.begin(key, ROUTE, new byte[4], LIFETIME))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 to 64 bytes");
    assertThatThrownBy(() -> alice.begin(key, "r".repeat(201), digest("x"), LIFETIME))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 200");
    assertThatThrownBy(() -> alice.begin(key, ROUTE, digest("x"), Duration.ofDays(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 second to 1 day");
    assertThatThrownBy(() -> alice.finish(key, 503, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("forget the key instead");
  }

  @Test
  void aPrincipalCannotReadOrWriteTheKeysDirectly() throws SQLException {
    UUID key = UUID.randomUUID();
    alice.begin(key, ROUTE, digest("secret"), LIFETIME);
    try (Connection c = login(ALICE).getConnection(); Statement s = c.createStatement()) {
      for (String sql : new String[] {
          "SELECT * FROM pangolin_private.idempotency_keys",
          "UPDATE pangolin_private.idempotency_keys SET state = 'done', status = 200",
          "DELETE FROM pangolin_private.idempotency_keys",
          "INSERT INTO pangolin_private.idempotency_keys (principal, key, route, request_digest, state, expires_at)"
              + " VALUES ('" + BOB + "', gen_random_uuid(), 'r', '\\x" + "ab".repeat(32) + "', 'in-progress', now())"}) {
        assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
            .hasMessageContaining("permission denied for schema pangolin_private");
      }
    }
    assertThat(rows(key)).isOne();
    assertThat(alice.begin(key, ROUTE, digest("secret"), LIFETIME)).isEqualTo(new Begin.InProgress());
  }

  private static byte[] digest(String body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PGSimpleDataSource login(String role) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(role);
    ds.setPassword(PASSWORD);
    return ds;
  }

  private static int rows(UUID key) throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM pangolin_private.idempotency_keys WHERE key = ?")) {
      s.setObject(1, key);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void superuser(String sql) throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
