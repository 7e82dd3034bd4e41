package io.pangolin.catalog;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableMetadataParser;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;

/**
 * The parsed current metadata of recently used tables, one entry per table, bounded by an estimate of the heap
 * it holds ({@link MetadataWeight}) and by a number of tables; the least recently used tables go first.
 *
 * <p>An entry is used only when the table's pointer still names its metadata file: a metadata file never changes
 * once written, so such an entry is exactly what the file holds, and loading a table whose pointer has not moved
 * costs no object-store request. When the pointer moves, the next commit or load replaces the entry, so a table's
 * superseded versions are never kept: a load always asks for the current one, and a reader that still holds an
 * old version holds it itself.
 */
final class MetadataCache {

  private record Entry(String location, TableMetadata metadata, long weight) {}

  private final int maxTables;
  private final long maxBytes;
  /** In access order, eldest first. Guarded by itself, as is {@link #weight}. */
  private final LinkedHashMap<TableIdentifier, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long weight;

  MetadataCache(int maxTables, long maxBytes) {
    this.maxTables = maxTables;
    this.maxBytes = maxBytes;
  }

  private boolean enabled() {
    return maxTables > 0 && maxBytes > 0;
  }

  /** The metadata of table {@code id} stored at {@code location}: the cached copy, or read and then kept. */
  TableMetadata table(TableIdentifier id, String location, FileIO io) {
    if (enabled()) {
      synchronized (entries) {
        Entry cached = entries.get(id);
        if (cached != null && cached.location().equals(location)) {
          return cached.metadata();
        }
      }
    }
    TableMetadata parsed = TableMetadataParser.read(io, location);
    put(id, parsed);
    return parsed;
  }

  /**
   * Keeps {@code metadata} (with its location set) as table {@code id}'s current version, in place of any older
   * one. A reader that parsed a version just before a commit in this catalog superseded it does not put the
   * older version back: the newer one lists it in its metadata log.
   */
  void put(TableIdentifier id, TableMetadata metadata) {
    if (!enabled()) {
      return;
    }
    String location = metadata.metadataFileLocation();
    Entry entry = new Entry(location, metadata, MetadataWeight.of(metadata));
    synchronized (entries) {
      Entry existing = entries.get(id);
      if (existing != null
          && (existing.location().equals(location) || supersedes(existing.metadata(), location))) {
        return;
      }
      remove(id);
      if (entry.weight() <= maxBytes) {
        entries.put(id, entry);
        weight += entry.weight();
        evict();
      }
    }
  }

  /** Forgets table {@code id}, so that its next load reads the metadata file again. */
  void invalidate(TableIdentifier id) {
    synchronized (entries) {
      remove(id);
    }
  }

  /** Estimated bytes held by the cached metadata. */
  long weight() {
    synchronized (entries) {
      return weight;
    }
  }

  /** The metadata files of the cached tables, least recently used first. */
  List<String> cachedLocations() {
    synchronized (entries) {
      // Iterating an access-ordered map does not reorder it.
      return entries.values().stream().map(Entry::location).toList();
    }
  }

  private static boolean supersedes(TableMetadata newer, String location) {
    return newer.previousFiles().stream().anyMatch(log -> log.file().equals(location));
  }

  private void remove(TableIdentifier id) {
    Entry removed = entries.remove(id);
    if (removed != null) {
      weight -= removed.weight();
    }
  }

  private void evict() {
    Iterator<Entry> eldestFirst = entries.values().iterator();
    while ((weight > maxBytes || entries.size() > maxTables) && eldestFirst.hasNext()) {
      weight -= eldestFirst.next().weight();
      eldestFirst.remove();
    }
  }
}
