package io.pangolin.catalog;

/**
 * How recording a new metadata file in the catalog database ended, as {@link PointerCommit} decides it. Only
 * the two outcomes that landed are returned to the caller; the others are thrown as the exception named here.
 */
enum CommitOutcome {
  /** The database answered that the pointer now holds the new file: the committed metadata is the current one. */
  ANSWERED,
  /** The answer was lost, and the pointer was found to hold the new file (or a later one): the change landed. */
  LOST_LANDED,
  /** Another writer moved the pointer first. The new file is deleted; {@code CommitFailedException}. */
  CONFLICT,
  /** The server rolled the swap back and said so (a lock or statement timeout). Deleted; {@code CommitFailedException}. */
  ABORTED,
  /** The answer was lost and the swap's transaction was rolled back. Deleted; {@code CommitFailedException}. */
  LOST_NOT_LANDED,
  /** The answer was lost and its fate could not be learned. The file is kept; {@code CommitStateUnknownException}. */
  UNKNOWN;

  /**
   * Whether the caller already knows the current metadata: only when the database answered. After a lost answer
   * that landed, another writer may have committed on top, so the state must be read again.
   */
  boolean knowsCurrent() {
    return this == ANSWERED;
  }
}
