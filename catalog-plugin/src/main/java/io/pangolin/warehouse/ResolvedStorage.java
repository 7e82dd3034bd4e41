package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Redaction;
import java.util.List;
import java.util.Map;

/**
 * A warehouse's storage with its credentials resolved (step two of three): the FileIO properties that reach
 * the object store, and the locations tables may use. Holds secrets, so it prints none.
 */
public record ResolvedStorage(
    String warehouse,
    long configVersion,
    String storageRoot,
    List<String> allowedLocations,
    Map<String, String> fileIoProperties) {

  public ResolvedStorage {
    requireNonNull(warehouse, "warehouse");
    requireNonNull(storageRoot, "storageRoot");
    allowedLocations = List.copyOf(allowedLocations);
    fileIoProperties = Map.copyOf(fileIoProperties);
  }

  @Override
  public String toString() {
    return "ResolvedStorage{" + warehouse + ", version=" + configVersion + ", root=" + storageRoot
        + ", fileIo=" + Redaction.properties(fileIoProperties) + "}";
  }
}
