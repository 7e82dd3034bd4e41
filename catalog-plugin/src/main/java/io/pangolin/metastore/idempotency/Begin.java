package io.pangolin.metastore.idempotency;

import static java.util.Objects.requireNonNull;

/** What {@link IdempotencyStore#begin} found for a request's key. */
public sealed interface Begin {

  /** The key is new to the principal (or its earlier use expired): run the request, then finish or forget it. */
  record Started() implements Begin {}

  /**
   * The key finished with this route and request: answer as the first time. {@code body} is the replay recipe
   * recorded by {@link IdempotencyStore#finish} (an error body, or what to load again), possibly empty.
   */
  record Replay(int status, String body) implements Begin {

    public Replay {
      requireNonNull(body, "body");
    }
  }

  /** The key's first request has not finished: the client is to retry later (409). */
  record InProgress() implements Begin {}

  /** The key was used with another route or another request body (422). */
  record Mismatch() implements Begin {}
}
