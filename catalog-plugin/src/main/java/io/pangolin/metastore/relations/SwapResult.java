package io.pangolin.metastore.relations;

import java.sql.SQLException;
import java.time.Duration;

/**
 * How a compare-and-swap of a pointer ended. A lost answer carries the id of the swap's transaction, learned
 * before the answer could be in doubt, and how long its fate may take to be decided on the server.
 */
public record SwapResult(Outcome outcome, String transactionId, Duration settleWithin, SQLException cause) {

  public enum Outcome {
    /** The pointer now holds the new location. */
    SWAPPED,
    /** The pointer no longer held the expected location (another writer won) or the relation is gone. */
    CONFLICT,
    /** The server ended the swap's transaction (a timeout or a deadlock) and said so: nothing was changed. */
    ABORTED,
    /** The swap was sent but its answer was lost; it may or may not have been applied. */
    UNKNOWN
  }

  /** What became of the transaction of a swap whose answer was lost. */
  public enum Fate {
    /** Committed: whether its UPDATE matched is read from the pointer. */
    COMMITTED,
    /** Rolled back: the pointer was not changed. */
    ABORTED,
    /** Not decided in time, or the database could not be asked. */
    UNKNOWN
  }

  static SwapResult swapped() {
    return new SwapResult(Outcome.SWAPPED, null, Duration.ZERO, null);
  }

  static SwapResult conflict() {
    return new SwapResult(Outcome.CONFLICT, null, Duration.ZERO, null);
  }

  static SwapResult aborted(SQLException cause) {
    return new SwapResult(Outcome.ABORTED, null, Duration.ZERO, cause);
  }

  static SwapResult unknown(String transactionId, Duration settleWithin, SQLException cause) {
    return new SwapResult(Outcome.UNKNOWN, transactionId, settleWithin, cause);
  }
}
