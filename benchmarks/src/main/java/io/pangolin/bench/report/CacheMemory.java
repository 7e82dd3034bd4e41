package io.pangolin.bench.report;

/**
 * What Pangolin's metadata cache holds for one table: the table's snapshots and metadata.json size, the
 * cache's own estimate (its weight) and the heap measured to be freed when the entry is dropped.
 */
public record CacheMemory(int snapshots, long metadataJsonBytes, long weightBytes, long measuredHeapBytes,
    long boundBytes) {}
