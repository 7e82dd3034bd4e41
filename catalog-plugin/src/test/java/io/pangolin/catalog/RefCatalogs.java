package io.pangolin.catalog;

import io.pangolin.testing.TestCatalogs;
import java.util.HashMap;
import java.util.Map;

/** Catalog {@code main} of tenant acme opened on one ref, as the migrating superuser: what the branch tests share. */
final class RefCatalogs {

  private RefCatalogs() {}

  static PangolinCatalog open(String url, String ref) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put(PangolinConfig.REF, ref);
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("lake_" + ref, props);
    return catalog;
  }
}
