package io.pangolin.catalog;

import java.util.Map;
import javax.sql.DataSource;

/**
 * Opens a PangolinCatalog whose pool takes its physical connections from a given data source. Lives in the
 * catalog's package because that way of initializing is package-private: it is for measuring and testing,
 * not for engines.
 */
public final class PangolinCatalogs {

  private PangolinCatalogs() {}

  public static PangolinCatalog open(String name, Map<String, String> props, DataSource physicalConnections) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(name, props, physicalConnections);
    return catalog;
  }
}
