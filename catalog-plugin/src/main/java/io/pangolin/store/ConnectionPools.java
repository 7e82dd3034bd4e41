package io.pangolin.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.catalog.PangolinConfig;
import javax.sql.DataSource;

/**
 * The small HikariCP pool behind a catalog instance. Kept apart from {@link Database} so that the admin
 * command line, which needs no pool, never loads HikariCP (or the logging API it needs).
 */
public final class ConnectionPools {

  private ConnectionPools() {}

  /**
   * A pooled database whose physical connections come from {@code underlying} when given (tests inject faults
   * below the pool that way), otherwise from the PostgreSQL driver.
   */
  public static Database open(PangolinConfig config, DataSource underlying) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("pangolin-" + config.tenant() + "-" + config.catalog());
    if (underlying != null) {
      hikari.setDataSource(underlying);
    } else {
      hikari.setDriverClassName(org.postgresql.Driver.class.getName());
      hikari.setJdbcUrl(config.uri());
      config.driverProperties().forEach((k, v) -> hikari.addDataSourceProperty((String) k, v));
    }
    hikari.setMaximumPoolSize(config.poolMaxSize());
    hikari.setMinimumIdle(config.poolMinIdle());
    hikari.setConnectionTimeout(config.poolConnectionTimeoutMs());
    hikari.setIdleTimeout(60_000);
    hikari.setAutoCommit(true);
    // Fail at start with the real reason (wrong password, unknown database), not on first use.
    hikari.setInitializationFailTimeout(config.poolConnectionTimeoutMs());
    try {
      HikariDataSource ds = new HikariDataSource(hikari);
      return Database.owning(ds, ds);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "Cannot connect to the Pangolin catalog database at "
              + config.uri().replaceAll("password=[^&]*", "password=***")
              + ": " + rootMessage(e) + ". Check the catalog properties 'uri', 'jdbc.user' and 'jdbc.password'.",
          null);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
