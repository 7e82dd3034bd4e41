package io.pangolin.metastore.relations;

import static java.util.Objects.requireNonNull;

/**
 * Where a table's or view's current metadata.json is, read together with its warehouse's configuration version
 * so that a changed credential is noticed without another round trip.
 */
public record Pointer(RelationKind kind, String metadataLocation, long warehouseConfigVersion) {

  public Pointer {
    requireNonNull(kind, "kind");
    requireNonNull(metadataLocation, "metadataLocation");
  }
}
