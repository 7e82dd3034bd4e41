package io.pangolin.catalog;

import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.iceberg.catalog.Catalog;

/**
 * Opens a PangolinCatalog whose pool takes its physical connections from a given data source, and reads its
 * metadata cache. Lives in the catalog's package because both are package-private: they are for measuring and
 * testing, not for engines.
 */
public final class PangolinCatalogs {

  private PangolinCatalogs() {}

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
