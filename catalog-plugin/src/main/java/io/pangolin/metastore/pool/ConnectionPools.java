package io.pangolin.metastore.pool;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The HikariCP pools behind catalog instances, one per JVM for each distinct {@link PoolSettings} (and, in
 * tests, each distinct underlying data source), shared through {@link PoolRegistry}. Kept apart from
 * {@link Database} so that the admin command line, which needs no pool, never loads HikariCP (or the logging
 * API it needs).
 */
public final class ConnectionPools {

  private ConnectionPools() {}

  /**
   * A lease on the shared pool for {@code settings}, opening the pool if this JVM has none. Physical connections
   * come from {@code underlying} when given (tests inject faults below the pool that way; each such data source
   * gets a pool of its own), otherwise from the PostgreSQL driver. A newly opened pool connects once, so that an
   * unreachable database or a wrong login fails here with a clear message; an existing pool opens nothing.
   */
  public static PoolLease lease(PoolSettings settings, DataSource underlying) {
    PoolLease lease = PoolRegistry.lease(settings, underlying);
    if (lease.isFirstOfItsPool()) {
      try (Connection first = lease.getConnection()) {
        return lease;
      } catch (SQLException | RuntimeException e) {
        lease.close();
        throw new StoreUnavailableException(
            "Cannot connect to the Pangolin catalog database at " + settings.printableUrl() + ": " + rootMessage(e)
                + ". " + connectHint(e),
            null);
      }
    }
    return lease;
  }

  /** A new Hikari pool that opens nothing until asked for its first connection. */
  static HikariDataSource create(String name, PoolSettings settings, DataSource underlying) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    if (underlying != null) {
      hikari.setDataSource(underlying);
    } else {
      hikari.setDriverClassName(org.postgresql.Driver.class.getName());
      hikari.setJdbcUrl(settings.url());
      settings.driverProperties().forEach(hikari::addDataSourceProperty);
    }
    hikari.setMaximumPoolSize(settings.maxSize());
    hikari.setMinimumIdle(settings.minIdle());
    hikari.setConnectionTimeout(settings.connectionTimeoutMs());
    hikari.setIdleTimeout(60_000);
    hikari.setAutoCommit(true);
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
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
