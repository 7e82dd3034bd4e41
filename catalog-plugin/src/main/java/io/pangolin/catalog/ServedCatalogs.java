package io.pangolin.catalog;

import io.pangolin.metastore.Database;
import io.pangolin.security.Keyring;
import java.util.Map;

/**
 * The entry for pangolin serve: a catalog over a database the endpoint keeps, for one request. Every statement it runs
 * goes through that database (which acts for the request's caller), it keeps no pool, reads no key file and caches
 * nothing beyond the request, so what one caller loaded is never served to another.
 */
public final class ServedCatalogs {

  private ServedCatalogs() {}

  /** A catalog named {@code name} with catalog properties {@code props} (tenant, catalog, uri...). */
  public static PangolinCatalog open(String name, Map<String, String> props, Database database, Keyring keys) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(name, props, database, keys);
    return catalog;
  }
}
