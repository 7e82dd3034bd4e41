package io.pangolin.serve.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;

/**
 * A catalog's namespaces as the REST API serves them: a namespace without a {@code location} property reports the
 * folder Pangolin puts its tables in. Clients that build a table's location from its namespace's need it: Trino
 * 476 stages a CREATE TABLE only when the namespace has a location, and refuses the table it created unstaged
 * because its metadata file already sits in the table's folder (trinodb/trino#26742). Nothing is stored.
 */
final class LocatedNamespaces implements SupportsNamespaces {

  static final String LOCATION = "location";

  private final PangolinCatalog catalog;

  LocatedNamespaces(PangolinCatalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog");
  }

  @Override
  public Map<String, String> loadNamespaceMetadata(Namespace namespace) {
    Map<String, String> properties = catalog.loadNamespaceMetadata(namespace);
    if (properties.containsKey(LOCATION)) {
      return properties;
    }
    Map<String, String> located = new HashMap<>(properties);
    located.put(LOCATION, catalog.defaultNamespaceLocation(namespace));
    // Not Map.copyOf: Iceberg's responses ask the map whether it holds a null key, which immutable maps refuse.
    return Collections.unmodifiableMap(located);
  }

  @Override
  public void createNamespace(Namespace namespace, Map<String, String> properties) {
    catalog.createNamespace(namespace, properties);
  }

  @Override
  public List<Namespace> listNamespaces(Namespace namespace) {
    return catalog.listNamespaces(namespace);
  }

  @Override
  public boolean namespaceExists(Namespace namespace) {
    return catalog.namespaceExists(namespace);
  }

  @Override
  public boolean dropNamespace(Namespace namespace) {
    return catalog.dropNamespace(namespace);
  }

  @Override
  public boolean setProperties(Namespace namespace, Map<String, String> properties) {
    return catalog.setProperties(namespace, properties);
  }

  @Override
  public boolean removeProperties(Namespace namespace, Set<String> properties) {
    return catalog.removeProperties(namespace, properties);
  }
}
