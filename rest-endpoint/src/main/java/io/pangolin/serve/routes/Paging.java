package io.pangolin.serve.routes;

/** The spec's paging query parameters, handed to {@link org.apache.iceberg.rest.CatalogHandlers} as sent. */
final class Paging {

  static final String TOKEN = "pageToken";
  static final String SIZE = "pageSize";

  private Paging() {}

  /** As Iceberg's own test server: a page size asks for pages; a token alone does not. */
  static boolean requested(Call call) {
    return call.query(SIZE) != null;
  }
}
