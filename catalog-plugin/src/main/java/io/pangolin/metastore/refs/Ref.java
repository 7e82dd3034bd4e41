package io.pangolin.metastore.refs;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The branch or tag a catalog instance works on; {@link #MAIN} is the default branch, today's relations.
 * {@code namespaces} are the levels of the namespaces a ref of chosen namespaces holds; empty: the whole catalog.
 */
public record Ref(String name, long id, boolean tag, List<List<String>> namespaces) {

  public static final String MAIN_NAME = "main";

  public static final Ref MAIN = new Ref(MAIN_NAME, 0, false, List.of());

  public Ref {
    requireNonNull(name, "name");
    namespaces = namespaces.stream().map(List::copyOf).toList();
  }

  /** Whether the namespace with these levels is one of the chosen namespaces or inside one. */
  public boolean holds(String[] levels) {
    return namespaces.isEmpty() || namespaces.stream().anyMatch(chosen -> chosen.size() <= levels.length
        && chosen.equals(Arrays.asList(levels).subList(0, chosen.size())));
  }

  /** The chosen namespaces as people write them: "sales, ops". */
  public String namespaceLabel() {
    return namespaces.stream().map(levels -> String.join(".", levels)).collect(Collectors.joining(", "));
  }

  public boolean isMain() {
    return id == 0;
  }

  public String label() {
    return (tag ? "tag " : "branch ") + name;
  }
}
