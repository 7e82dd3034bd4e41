package io.pangolin.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** A catalog resolved once at start: its tenant, its warehouse and its stored properties. */
public record CatalogBinding(
    long tenantId,
    String tenant,
    long catalogId,
    String catalog,
    String jdbcName,
    long warehouseId,
    Map<String, String> properties) {

  public CatalogBinding {
    requireNonNull(tenant, "tenant");
    requireNonNull(catalog, "catalog");
    requireNonNull(jdbcName, "jdbcName");
    properties = Map.copyOf(properties);
  }

  /** The name used in messages: tenant/catalog. */
  public String qualifiedName() {
    return tenant + "/" + catalog;
  }
}
