package io.pangolin.metastore.relations;

import java.util.Locale;

/** Tables and views share one name space in a namespace; the kind tells them apart. */
public enum RelationKind {
  TABLE,
  VIEW;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
