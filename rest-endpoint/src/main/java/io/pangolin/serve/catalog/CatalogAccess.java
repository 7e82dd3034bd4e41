package io.pangolin.serve.catalog;

import io.pangolin.serve.auth.Caller;

/**
 * The catalogs behind the REST prefixes. A prefix that does not exist and one the caller may not see answer the same
 * 404: {@link org.apache.iceberg.exceptions.NotFoundException} naming only the prefix the caller sent.
 */
public interface CatalogAccess {

  /** The prefix the REST client uses for {@code warehouse} (what {@code /v1/config?warehouse=} answers). */
  String prefixFor(Caller caller, String warehouse);

  /** The catalog behind {@code prefix}, acting as {@code caller}. */
  RequestCatalog open(Caller caller, String prefix);
}
