package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A catalog, a namespace in it, or a table or view in such a namespace, by name; resolved to ids inside the SQL that
 * uses it. A relation needs its namespace.
 */
public record ObjectRef(String tenant, String catalog, Optional<List<String>> namespace, Optional<String> relation) {

  public ObjectRef {
    requireNonNull(tenant, "tenant");
    requireNonNull(catalog, "catalog");
    namespace = requireNonNull(namespace, "namespace").map(List::copyOf);
    requireNonNull(relation, "relation");
    if (relation.isPresent() && namespace.isEmpty()) {
      throw new IllegalArgumentException("Table or view '" + relation.get() + "' needs its namespace (--namespace)");
    }
    if (namespace.isPresent() && namespace.get().isEmpty()) {
      throw new IllegalArgumentException("An empty namespace names nothing; leave it out to name the catalog");
    }
  }

  public static ObjectRef catalog(String tenant, String catalog) {
    return new ObjectRef(tenant, catalog, Optional.empty(), Optional.empty());
  }

  public static ObjectRef namespace(String tenant, String catalog, List<String> levels) {
    return new ObjectRef(tenant, catalog, Optional.of(levels), Optional.empty());
  }

  public static ObjectRef relation(String tenant, String catalog, List<String> levels, String name) {
    return new ObjectRef(tenant, catalog, Optional.of(levels), Optional.of(name));
  }

  /** The namespace levels as a dotted name, as the CLI and the audit trail write them. */
  public Optional<String> namespaceName() {
    return namespace.map(levels -> String.join(".", levels));
  }

  /** For messages: "catalog acme/main", "namespace acme/main/sales.eu", "table or view acme/main/sales.orders". */
  @Override
  public String toString() {
    String path = tenant + "/" + catalog + namespaceName().map(n -> "/" + n).orElse("")
        + relation.map(r -> "." + r).orElse("");
    return (relation.isPresent() ? "table or view " : namespace.isPresent() ? "namespace " : "catalog ") + path;
  }
}
