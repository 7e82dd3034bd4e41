package io.pangolin.serve.idempotency;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.metastore.delegation.ActingSession;
import io.pangolin.metastore.idempotency.IdempotencyStore;
import io.pangolin.serve.auth.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Idempotency keys kept in PostgreSQL ({@code R__95_idempotency.sql}), each call acting for its caller, so that keys
 * are the caller's own and outlive this process: any endpoint behind the same load balancer replays them. An answer
 * too long to keep is not kept: the key is released and a retry runs again, as if it were new.
 */
public final class DatabaseIdempotencyKeys implements IdempotencyKeys {

  /** What /v1/config announces as idempotency-key-lifetime. */
  public static final Duration LIFETIME = Duration.ofMinutes(30);

  private final String jdbcUrl;
  private final DataSource endpointConnections;

  public DatabaseIdempotencyKeys(String jdbcUrl, DataSource endpointConnections) {
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
    this.endpointConnections = requireNonNull(endpointConnections, "endpointConnections");
  }

  @Override
  public IdempotencyKeys.Begin begin(Caller caller, String key, String route, byte[] bodySha256) {
    io.pangolin.metastore.idempotency.Begin found = as(caller, store -> store.begin(UUID.fromString(key), bounded(route), bodySha256, LIFETIME));
    if (found instanceof io.pangolin.metastore.idempotency.Begin.Replay replay) {
      return new Replay(replay.status(), replay.body());
    }
    if (found instanceof io.pangolin.metastore.idempotency.Begin.InProgress) {
      return new InProgress();
    }
    return found instanceof io.pangolin.metastore.idempotency.Begin.Mismatch ? new Mismatch() : new Started();
  }

  @Override
  public void finish(Caller caller, String key, int status, String body) {
    if (body.length() > IdempotencyStore.MAX_REPLAY) {
      forget(caller, key);
      return;
    }
    as(caller, store -> store.finish(UUID.fromString(key), status, body.isEmpty() ? null : body));
  }

  @Override
  public void forget(Caller caller, String key) {
    as(caller, store -> store.forget(UUID.fromString(key)));
  }

  private <T> T as(Caller caller, Function<IdempotencyStore, T> work) {
    try (ActingSession session = new ActingSession(endpointConnections, caller.token())) {
      return work.apply(new IdempotencyStore(Database.of(session, DatabaseLogin.of(jdbcUrl, null))));
    }
  }

  /** A route the store can keep: itself, or its digest when a deep namespace makes it longer than the bound. */
  private static String bounded(String route) {
    if (route.length() <= IdempotencyStore.MAX_ROUTE) {
      return route;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(route.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JVM has no SHA-256", e);
    }
  }
}
