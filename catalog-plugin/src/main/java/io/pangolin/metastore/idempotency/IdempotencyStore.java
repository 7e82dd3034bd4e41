package io.pangolin.metastore.idempotency;

import static io.pangolin.metastore.idempotency.IdempotencySql.BEGIN;
import static io.pangolin.metastore.idempotency.IdempotencySql.FINISH;
import static io.pangolin.metastore.idempotency.IdempotencySql.FORGET;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlArrays;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

/**
 * The REST endpoint's idempotency keys ({@code Idempotency-Key}), kept in PostgreSQL per acting principal: a key
 * is begun before its request runs, finished with the answer to repeat (2xx, or a 4xx the same request would get
 * again), or forgotten when the answer must not be repeated (5xx). Each call is one autocommit statement of a
 * definer function; no principal reads the keys' table itself.
 */
public final class IdempotencyStore {

  /** Longest route name the database keeps (a route template, such as {@code POST /v1/{prefix}/transactions/commit}). */
  public static final int MAX_ROUTE = 200;
  /** Longest replay recipe the database keeps, in characters. */
  public static final int MAX_REPLAY = 16384;
  static final int MIN_DIGEST = 16;
  static final int MAX_DIGEST = 64;
  static final Duration MIN_LIFETIME = Duration.ofSeconds(1);
  static final Duration MAX_LIFETIME = Duration.ofDays(1);

  private final Database db;

  public IdempotencyStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /**
   * Begins {@code key} for a request to {@code route} whose body has {@code digest} (SHA-256, say), to be kept for
   * {@code lifetime} (1 s to 1 day); an expired key counts as absent and is replaced.
   */
  public Begin begin(UUID key, String route, byte[] digest, Duration lifetime) {
    requireNonNull(key, "key");
    requireBounded("route", route, MAX_ROUTE);
    requireNonNull(digest, "digest");
    if (digest.length < MIN_DIGEST || digest.length > MAX_DIGEST) {
      throw new IllegalArgumentException("Invalid request digest of " + digest.length + " bytes: give a digest of "
          + MIN_DIGEST + " to " + MAX_DIGEST + " bytes, such as SHA-256 of the request body");
    }
    requireNonNull(lifetime, "lifetime");
    if (lifetime.compareTo(MIN_LIFETIME) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
      throw new IllegalArgumentException("Invalid idempotency key lifetime " + lifetime + ": give 1 second to 1 day");
    }
    return db.run("begin idempotency key " + key, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(BEGIN)) {
        stmt.setObject(1, key);
        stmt.setString(2, route);
        stmt.setBytes(3, digest);
        stmt.setDouble(4, lifetime.toMillis() / 1000.0);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return switch (rs.getString(1)) {
            case "started" -> new Begin.Started();
            case "replay" -> new Begin.Replay(rs.getInt(2), rs.getString(3) == null ? "" : rs.getString(3));
            case "in-progress" -> new Begin.InProgress();
            case "mismatch" -> new Begin.Mismatch();
            default -> throw new IllegalStateException("Unknown idempotency outcome " + rs.getString(1));
          };
        }
      }
    });
  }

  /**
   * Records the answer to repeat for {@code key}: {@code status} 200 to 499 and its replay recipe ({@code null}
   * for none). Returns false when the principal has no such key in progress (forgotten, or finished already).
   */
  public boolean finish(UUID key, int status, String replay) {
    requireNonNull(key, "key");
    if (status < 200 || status > 499) {
      throw new IllegalArgumentException("Cannot keep answer " + status + " for idempotency key " + key
          + ": only 2xx and 4xx answers are repeated; forget the key instead");
    }
    if (replay != null) {
      requireBounded("replay", replay, MAX_REPLAY);
    }
    return db.run("finish idempotency key " + key, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(FINISH)) {
        stmt.setObject(1, key);
        stmt.setInt(2, status);
        stmt.setString(3, replay);
        return SqlArrays.callInt(stmt) == 1;
      }
    });
  }

  /** Forgets {@code key}, so that a request with it runs again; false when the principal had no such key. */
  public boolean forget(UUID key) {
    requireNonNull(key, "key");
    return db.run("forget idempotency key " + key, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(FORGET)) {
        stmt.setObject(1, key);
        return SqlArrays.callInt(stmt) == 1;
      }
    });
  }

  private static void requireBounded(String what, String value, int max) {
    requireNonNull(value, what);
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException("Invalid idempotency " + what + " of " + value.length() + " characters:"
          + " give 1 to " + max);
    }
  }
}
