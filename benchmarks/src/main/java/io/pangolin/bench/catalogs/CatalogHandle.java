package io.pangolin.bench.catalogs;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;

/** One initialized catalog instance of either kind: the table API, the namespace API, and close. */
public final class CatalogHandle implements AutoCloseable {

  private final Catalog catalog;

  <C extends Catalog & SupportsNamespaces & Closeable> CatalogHandle(C catalog) {
    this.catalog = catalog;
  }

  public Catalog tables() {
    return catalog;
  }

  public SupportsNamespaces namespaces() {
    return (SupportsNamespaces) catalog;
  }

  @Override
  public void close() {
    try {
      ((Closeable) catalog).close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
