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
   * unreachable database or a wrong login fails here with a clear message (a login or database the server refuses
   * at once, without Hikari's retries: {@link PhysicalConnections}); an existing pool opens nothing.
   */
  public static PoolLease lease(PoolSettings settings, DataSource underlying) {
    PoolLease lease = PoolRegistry.lease(settings, underlying);
    if (lease.isFirstOfItsPool()) {
      try (Connection first = lease.getConnection()) {
        return lease;
      } catch (SQLException | RuntimeException e) {
        lease.close();
        if (SqlErrors.isRefusedAtConnect(e)) {
          throw SqlErrors.connectFailed("connect", e, settings.login());
        }
        throw new StoreUnavailableException(
            "Cannot connect to the Pangolin catalog database at " + settings.printableUrl() + ": " + rootMessage(e)
                + ". Check the catalog property 'uri' (host, port, database) and that the server runs and accepts"
                + " connections from here.",
            null);
      }
    }
    return lease;
  }

  /** A new Hikari pool over {@code physical} that opens nothing until asked for its first connection. */
  static HikariDataSource create(String name, PoolSettings settings, PhysicalConnections physical) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName(name);
    hikari.setDataSource(physical);
    hikari.setMaximumPoolSize(settings.maxSize());
    hikari.setMinimumIdle(settings.minIdle());
    hikari.setConnectionTimeout(settings.connectionTimeoutMs());
    hikari.setIdleTimeout(60_000);
    hikari.setAutoCommit(true);
    hikari.setInitializationFailTimeout(-1);
    return new HikariDataSource(hikari);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
