package io.pangolin.bench.count;

import java.sql.Connection;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcClientPool;

/**
 * Iceberg's own connection pool for JdbcCatalog, unchanged except that each connection it opens is counted.
 * JdbcCatalog takes it through its {@code clientPoolBuilder} constructor argument.
 */
public final class CountingJdbcClientPool extends JdbcClientPool {

  private final SqlCounter counter;

  public CountingJdbcClientPool(String url, Map<String, String> props, SqlCounter counter) {
    super(Integer.parseInt(props.getOrDefault(CatalogProperties.CLIENT_POOL_SIZE,
        String.valueOf(CatalogProperties.CLIENT_POOL_SIZE_DEFAULT))), url, props);
    this.counter = counter;
  }

  @Override
  protected Connection newClient() {
    return CountingConnections.wrap(super.newClient(), counter);
  }
}
