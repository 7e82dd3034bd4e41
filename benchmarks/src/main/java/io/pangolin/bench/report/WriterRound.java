package io.pangolin.bench.report;

/**
 * One round of concurrent writers on one table of one catalog: what was acknowledged, what failed, how many
 * attempts the acknowledged commits took, and whether the table's snapshot chain holds every acknowledged file
 * exactly once afterwards.
 */
public record WriterRound(
    String catalog,
    int writers,
    int acknowledged,
    int failed,
    int unknown,
    long attempts,
    double wallMs,
    Samples commits,
    int lost,
    int duplicated,
    int failedButPresent) {

  /** Retries after a CommitFailedException, over acknowledged commits. */
  public long retries() {
    return attempts - acknowledged;
  }

  public double commitsPerSecond() {
    return acknowledged / (wallMs / 1000.0);
  }
}
