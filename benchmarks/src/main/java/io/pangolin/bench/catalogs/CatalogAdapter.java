package io.pangolin.bench.catalogs;

import io.pangolin.bench.count.Counts;
import java.util.Map;
import org.apache.iceberg.catalog.Namespace;

/**
 * One catalog under test, as the harness sees it: opens counted instances of it, and loads and inspects its
 * database directly (uncounted) for set-up that would take too long through the catalog.
 */
public interface CatalogAdapter extends AutoCloseable {

  /** Shown in the results: "Pangolin" or "JdbcCatalog". */
  String label();

  /** The name the catalog is initialized with; full table names start with it. */
  String catalogName();

  /** A new, initialized instance whose PostgreSQL round trips are counted. */
  CatalogHandle open(Map<String, String> extraProperties);

  /** Round trips of all instances so far, plus every S3 request sent in this JVM so far. */
  Counts counts();

  /**
   * Inserts {@code count} table pointers named {@code prefix1..prefixN} into namespace {@code ns} with one SQL
   * statement, all pointing at the existing metadata file {@code metadataLocation}.
   */
  void bulkInsertTables(Namespace ns, String prefix, int count, String metadataLocation);

  /** How many tables the catalog holds, read from its database. */
  long tableCount();

  /** VACUUM ANALYZE of the pointer table after a bulk load, so that autovacuum does not run mid-measurement. */
  void refreshStatistics();

  /** Where the bulk-loaded pointers went, for the report. */
  String pointerTable();

  @Override
  void close();
}
