package io.pangolin.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.catalog.PangolinConfig;
import java.sql.Connection;
import java.sql.SQLException;
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
    // The pool opens nothing by itself; the first connection is opened below and kept for the catalog's first
    // statements, so that opening a catalog costs one connection, not a probe and then a real one.
    hikari.setInitializationFailTimeout(-1);
    HikariDataSource ds = new HikariDataSource(hikari);
    try (Connection first = ds.getConnection()) {
      return Database.owning(ds, ds);
    } catch (SQLException | RuntimeException e) {
      ds.close();
      throw new StoreUnavailableException(
          "Cannot connect to the Pangolin catalog database at "
              + config.uri().replaceAll("password=[^&]*", "password=***")
              + ": " + rootMessage(e) + ". " + connectHint(e),
          null);
    }
  }

  /** Names only the properties that can be the cause: a login is only refused by a server that answered. */
  private static String connectHint(Exception e) {
    if (e instanceof SQLException sql && SqlErrors.isLoginRefused(sql)) {
      return "The server answered but refused the login: check the catalog properties 'jdbc.user' and"
          + " 'jdbc.password'.";
    }
    if (e instanceof SQLException sql && SqlErrors.is(sql, SqlErrors.INVALID_CATALOG_NAME)) {
      return "The server answered but has no such database: check the database name in the catalog property"
          + " 'uri'.";
    }
    return "Check the catalog property 'uri' (host, port, database) and that the server runs and accepts"
        + " connections from here.";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
