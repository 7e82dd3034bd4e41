package io.pangolin.serve.catalog;

import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * One Pangolin catalog as one caller sees it, for the length of one request: every statement it runs acts as that
 * caller. Closed when the request ends.
 */
public interface RequestCatalog extends AutoCloseable {

  Catalog tables();

  SupportsNamespaces namespaces();

  ViewCatalog views();

  /**
   * A table's load or create answer with what the client's FileIO needs to reach the table's files (vended
   * credentials when the client asks for them and the catalog can): by default nothing more (the client brings its
   * own storage settings).
   */
  default LoadTableResponse withStorageAccess(TableIdentifier table, LoadTableResponse response,
      boolean vendedCredentials) {
    return response;
  }

  /**
   * Records that the caller's staged table writes its files under {@code location} before its pointer exists (a
   * create transaction), so that signing allows them; by default nothing to record.
   */
  default void staged(TableIdentifier table, String location) {}

  /** Several tables' changes as one PostgreSQL transaction: every pointer moves, or none does. */
  void commitTransaction(CommitTransactionRequest request);

  @Override
  void close();
}
