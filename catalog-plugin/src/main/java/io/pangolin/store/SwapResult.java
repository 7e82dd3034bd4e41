package io.pangolin.store;

import java.sql.SQLException;

/** How a compare-and-swap of a pointer ended. */
public record SwapResult(Outcome outcome, int backendPid, SQLException cause) {

  public enum Outcome {
    /** The pointer now holds the new location. */
    SWAPPED,
    /** The pointer no longer held the expected location (another writer won) or the relation is gone. */
    CONFLICT,
    /** The statement was sent but its answer was lost; it may or may not have been applied. */
    UNKNOWN
  }

  static SwapResult swapped() {
    return new SwapResult(Outcome.SWAPPED, -1, null);
  }

  static SwapResult conflict() {
    return new SwapResult(Outcome.CONFLICT, -1, null);
  }

  static SwapResult unknown(int backendPid, SQLException cause) {
    return new SwapResult(Outcome.UNKNOWN, backendPid, cause);
  }
}
