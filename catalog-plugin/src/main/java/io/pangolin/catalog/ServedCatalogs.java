package io.pangolin.catalog;

import io.pangolin.metastore.Database;
import io.pangolin.security.Keyring;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The entry for pangolin serve: a catalog over a database the endpoint keeps, for one request. Every statement it runs
 * goes through that database (which acts for the request's caller), it keeps no pool, reads no key file and caches
 * nothing beyond the request, so what one caller loaded is never served to another.
 */
public final class ServedCatalogs {

  private ServedCatalogs() {}

  /** FileIO properties a REST client may be told: where the store is and how to address it, never a credential. */
  private static final Set<String> CLIENT_STORAGE_PROPERTIES =
      Set.of("s3.endpoint", "s3.path-style-access", "client.region");

  /** A catalog named {@code name} with catalog properties {@code props} (tenant, catalog, uri...). */
  public static PangolinCatalog open(String name, Map<String, String> props, Database database, Keyring keys) {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(name, props, database, keys);
    return catalog;
  }

  /**
   * What a REST client's FileIO needs to reach {@code catalog}'s warehouse without holding its key: the store's
   * address and addressing, taken from the warehouse's resolved FileIO properties with every credential left out.
   */
  public static Map<String, String> clientStorageProperties(PangolinCatalog catalog) {
    Map<String, String> shown = new TreeMap<>();
    catalog.warehouseStorage().storage().fileIoProperties().forEach((key, value) -> {
      if (CLIENT_STORAGE_PROPERTIES.contains(key)) {
        shown.put(key, value);
      }
    });
    return Map.copyOf(shown);
  }

  /** The id of the warehouse {@code catalog} stores its tables in. */
  public static long warehouseId(PangolinCatalog catalog) {
    return catalog.warehouseId();
  }
}
