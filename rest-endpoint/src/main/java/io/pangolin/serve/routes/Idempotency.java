package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.idempotency.IdempotencyKeys;
import io.pangolin.serve.idempotency.IdempotencyKeys.Begin;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.BadRequestException;

/**
 * Applies {@link IdempotencyKeys} to one mutating request that carries an {@code Idempotency-Key}: a finished key
 * replays its answer, a running one is a 409 to retry later, a key used for another request is a 422.
 */
final class Idempotency {

  /** 4xx answers that a retry of the same request would get again, so a replay may give them. */
  private static final Set<Integer> DETERMINISTIC = Set.of(400, 404, 405, 406, 409, 410, 413, 415, 422);

  private final IdempotencyKeys keys;
  private final ErrorMapper errors;

  Idempotency(IdempotencyKeys keys, ErrorMapper errors) {
    this.keys = requireNonNull(keys, "keys");
    this.errors = requireNonNull(errors, "errors");
  }

  /** {@code answer} maps its own failures to replies: only a reply's status decides what the key keeps. */
  Reply run(Call call, String key, String route, Supplier<Reply> answer) {
    validate(key);
    Begin begin = keys.begin(call.caller(), key, route, sha256(call.body()));
    if (begin instanceof IdempotencyKeys.Replay replay) {
      return new Reply(replay.status(), replay.body(), Map.of());
    }
    if (begin instanceof IdempotencyKeys.InProgress) {
      return errors.reply(409, "CommitFailedException",
          "A request with this Idempotency-Key is still running: retry it later").withHeader("Retry-After", "1");
    }
    if (begin instanceof IdempotencyKeys.Mismatch) {
      return errors.reply(422, "UnprocessableEntityException",
          "This Idempotency-Key was used for another request: use a new key for a new request");
    }
    boolean kept = false;
    try {
      Reply reply = answer.get();
      if (reply.succeeded() || DETERMINISTIC.contains(reply.status())) {
        keys.finish(call.caller(), key, reply.status(), reply.body());
        kept = true;
      }
      return reply;
    } finally {
      if (!kept) {
        keys.forget(call.caller(), key);
      }
    }
  }

  private static void validate(String key) {
    try {
      UUID parsed = UUID.fromString(key);
      if (parsed.toString().equalsIgnoreCase(key)) {
        return;
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw new BadRequestException("Idempotency-Key must be a UUID such as 123e4567-e89b-12d3-a456-426614174000");
  }

  private static byte[] sha256(byte[] body) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
  }
}
