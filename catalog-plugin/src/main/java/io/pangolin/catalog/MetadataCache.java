package io.pangolin.catalog;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.io.FileIO;

/**
 * Parsed table metadata keyed by its metadata.json location. A metadata file never changes once written, so an
 * entry is valid for as long as it is kept; loading a table whose pointer has not moved costs no object-store
 * request.
 */
final class MetadataCache {

  private final int capacity;
  private final Map<String, TableMetadata> entries;

  MetadataCache(int capacity) {
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, TableMetadata> eldest) {
        return size() > MetadataCache.this.capacity;
      }
    };
  }

  /** Keeps metadata the catalog has just written, with its location set. */
  void put(String location, TableMetadata metadata) {
    if (capacity > 0) {
      synchronized (entries) {
        entries.put(location, metadata);
      }
    }
  }

  TableMetadata table(String location, FileIO io) {
    if (capacity == 0) {
      return TableMetadataParser.read(io, location);
    }
    synchronized (entries) {
      TableMetadata cached = entries.get(location);
      if (cached != null) {
        return cached;
      }
    }
    TableMetadata parsed = TableMetadataParser.read(io, location);
    synchronized (entries) {
      entries.put(location, parsed);
    }
    return parsed;
  }
}
