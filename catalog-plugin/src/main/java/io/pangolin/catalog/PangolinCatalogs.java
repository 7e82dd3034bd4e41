package io.pangolin.catalog;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.iceberg.catalog.Catalog;

/**
 * The entry for benchmarks and tests, not for engines: opens a PangolinCatalog whose pool takes its physical
 * connections from a given data source (a fault-injecting or counting wrapper, for instance), and reads its
 * metadata cache. Engines open catalogs by class name and properties only.
 */
public final class PangolinCatalogs {

  private PangolinCatalogs() {}

  /** A catalog initialized from {@code props}, whose pool opens its connections through {@code physicalConnections}. */
  public static PangolinCatalog open(String name, Map<String, String> props, DataSource physicalConnections) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(name, props, physicalConnections);
    return catalog;
  }

  /** The metadata cache's own estimate of the heap it holds, in bytes. */
  public static long metadataCacheWeight(Catalog catalog) {
    return ((PangolinCatalog) catalog).metadataCache().weight();
  }

  /** The metadata files the catalog's cache holds, one per cached table. */
  public static List<String> cachedMetadata(Catalog catalog) {
    return ((PangolinCatalog) catalog).metadataCache().cachedLocations();
  }
}
