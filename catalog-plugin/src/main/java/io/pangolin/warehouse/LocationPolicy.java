package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The locations one warehouse serves: its root and the locations explicitly allowed for it, in their own
 * schemes, and nothing else. Travels inside the warehouse FileIO to executors, so it holds only strings.
 */
public final class LocationPolicy implements Serializable {

  private static final long serialVersionUID = 1L;

  /** FileIO property with the warehouse root, set by the resolver. */
  static final String ROOT_PROPERTY = "pangolin.root";

  /** FileIO property with the allowed locations, one per line (roots never hold a line break). */
  static final String ALLOWED_PROPERTY = "pangolin.allowed-locations";

  private final String warehouse;
  private final String root;
  private final List<String> allowed;

  public LocationPolicy(String warehouse, String root, List<String> allowed) {
    this.warehouse = requireNonNull(warehouse, "warehouse");
    this.root = requireNonNull(root, "root");
    this.allowed = List.copyOf(allowed);
  }

  /** The policy carried in a warehouse FileIO's properties; without a root nothing is served. */
  static LocationPolicy fromProperties(String warehouse, Map<String, String> properties) {
    String root = properties.get(ROOT_PROPERTY);
    String allowed = properties.getOrDefault(ALLOWED_PROPERTY, "");
    return root == null ? null
        : new LocationPolicy(warehouse, root, allowed.isEmpty() ? List.of() : List.of(allowed.split("\n")));
  }

  static void addTo(Map<String, String> properties, String root, List<String> allowed) {
    properties.put(ROOT_PROPERTY, root);
    properties.put(ALLOWED_PROPERTY, String.join("\n", allowed));
  }

  public boolean permits(String location) {
    return StorageLocations.isAllowed(location, root,
        allowed.stream().filter(a -> StorageLocations.sameStore(a, root)).toList());
  }

  /**
   * Refuses a location this warehouse does not serve, naming the warehouse, the location, why and the fix.
   * {@code what} says what the location was for ("table db.t", "a read").
   */
  public void require(String location, String what) {
    if (location == null || permits(location)) {
      return;
    }
    String why;
    try {
      StorageLocations.canonical(location);
      why = "";
    } catch (IllegalArgumentException e) {
      why = e.getMessage() + "; ";
    }
    throw new IllegalArgumentException("Cannot use location " + location + " for " + what
        + ": it is outside warehouse '" + warehouse + "' (" + why + "root " + root + ", allowed locations " + allowed
        + "; a warehouse serves these in their own scheme and nothing else). Use a location under the root, or"
        + " allow it with `pangolin warehouse update --allowed-location PREFIX`.");
  }

  @Override
  public String toString() {
    return "LocationPolicy{" + warehouse + ", root=" + root + ", allowed=" + allowed + "}";
  }
}
