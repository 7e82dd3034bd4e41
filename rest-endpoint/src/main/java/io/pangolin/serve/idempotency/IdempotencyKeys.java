package io.pangolin.serve.idempotency;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.auth.Caller;

/**
 * The store behind the {@code Idempotency-Key} header of mutating routes. Keys belong to one principal: another
 * principal's key never replays. A key names one route and one body: the same key with another is a mismatch.
 */
public interface IdempotencyKeys {

  /** Claims {@code key} for this request, or tells what an earlier request with it left. */
  Begin begin(Caller caller, String key, String route, byte[] bodySha256);

  /** Keeps the answer of a started key, so that a retry replays it (2xx and deterministic 4xx). */
  void finish(Caller caller, String key, int status, String body);

  /** Releases a started key whose request failed in a way a retry may fix (5xx and transient 4xx). */
  void forget(Caller caller, String key);

  /** What {@link #begin} found. */
  sealed interface Begin {}

  /** The key is new: run the request, then {@link #finish} or {@link #forget} it. */
  record Started() implements Begin {}

  /** The key finished earlier: answer this again without running the request. */
  record Replay(int status, String body) implements Begin {
    public Replay {
      requireNonNull(body, "body");
    }
  }

  /** Another request with the key is still running. */
  record InProgress() implements Begin {}

  /** The key was used with another route or body. */
  record Mismatch() implements Begin {}
}
