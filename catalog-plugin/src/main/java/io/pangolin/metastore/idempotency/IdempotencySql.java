package io.pangolin.metastore.idempotency;

/** The statements behind {@link IdempotencyStore}: calls of the definer functions of R__95_idempotency.sql. */
final class IdempotencySql {

  private IdempotencySql() {}

  /** One row: 'started', 'replay' (with status and replay), 'in-progress' or 'mismatch'. */
  static final String BEGIN = """
      SELECT outcome, replay_status, replay_body
      FROM pangolin.idempotency_begin(?, ?, ?, make_interval(secs => ?))
      """;

  /** 1 recorded, 0 no key of the principal's in progress. */
  static final String FINISH = "SELECT pangolin.idempotency_finish(?, ?, ?)";

  /** 1 forgotten, 0 the principal had no such key. */
  static final String FORGET = "SELECT pangolin.idempotency_forget(?)";
}
