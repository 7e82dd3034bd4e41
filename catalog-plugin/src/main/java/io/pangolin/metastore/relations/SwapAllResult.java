package io.pangolin.metastore.relations;

import static java.util.Objects.requireNonNull;

/**
 * How a multi-table commit's transaction ended ({@link RelationStore#swapAll}). {@code stoppedAt} is the move
 * whose swap did not answer 1, was ended by the server, or lost its answer, before any COMMIT was sent: the
 * transaction certainly did not commit. It is null when every swap answered 1: then the result is
 * {@link SwapResult.Outcome#SWAPPED}, or {@link SwapResult.Outcome#UNKNOWN} when the answer to the COMMIT itself
 * was lost, to be settled by the transaction's id.
 */
public record SwapAllResult(SwapResult result, PointerMove stoppedAt) {

  public SwapAllResult {
    requireNonNull(result, "result");
  }
}
