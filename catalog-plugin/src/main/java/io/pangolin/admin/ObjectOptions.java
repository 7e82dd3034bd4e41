package io.pangolin.admin;

import io.pangolin.metastore.access.ObjectRef;
import java.util.Arrays;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The object of a grant: a catalog, a namespace in it, or a table or view in such a namespace. */
final class ObjectOptions {

  @Option(names = "--tenant", paramLabel = "T", description = "The tenant that owns the catalog") String tenant;

  @Option(names = "--catalog", paramLabel = "C", description = "The catalog") String catalog;

  @Option(names = "--namespace", paramLabel = "a.b", description = "A namespace, levels separated by dots")
  String namespace;

  @Option(names = "--table", paramLabel = "NAME", description = "A table in the namespace") String table;

  @Option(names = "--view", paramLabel = "NAME", description = "A view in the namespace") String view;

  boolean given() {
    return tenant != null || catalog != null || namespace != null || table != null || view != null;
  }

  ObjectRef ref() {
    if (tenant == null || catalog == null) {
      throw new IllegalArgumentException("Name the object with --tenant T --catalog C [--namespace a.b]"
          + " [--table NAME | --view NAME]");
    }
    if (table != null && view != null) {
      throw new IllegalArgumentException("Give --table or --view, not both");
    }
    Optional<java.util.List<String>> levels = Optional.ofNullable(namespace).map(n -> Arrays.asList(n.split("\\.", -1)));
    if (levels.isPresent() && levels.get().contains("")) {
      throw new IllegalArgumentException("Invalid namespace '" + namespace + "': a level must not be empty");
    }
    return new ObjectRef(tenant, catalog, levels, Optional.ofNullable(table != null ? table : view));
  }
}
