package io.pangolin.store;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.catalog.PangolinConfig;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The catalog database: a small connection pool and the two ways Pangolin uses it, a single statement or a
 * short transaction. Every {@link SQLException} leaves through {@link #run} or {@link #inTransaction}, where
 * the caller's translator turns the meaningful ones into Iceberg exceptions and the rest into
 * {@link StoreException}s that say what was being done.
 */
public final class Database implements AutoCloseable {

  /** Work against one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private static final int TRANSACTION_ATTEMPTS = 3;

  private final DataSource dataSource;
  private final AutoCloseable owned;

  private Database(DataSource dataSource, AutoCloseable owned) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.owned = owned;
  }

  /** A pooled database for a catalog instance; closing it closes the pool. */
  public static Database pooled(PangolinConfig config) {
    return pooled(config, null);
  }

  /**
   * A pooled database whose physical connections come from {@code underlying} when given (tests use this to
   * inject faults below the pool), otherwise from the driver.
   */
  public static Database pooled(PangolinConfig config, DataSource underlying) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("pangolin-" + config.tenant() + "-" + config.catalog());
    if (underlying != null) {
      hikari.setDataSource(underlying);
    } else {
      hikari.setDriverClassName(org.postgresql.Driver.class.getName());
      hikari.setJdbcUrl(config.uri());
      Properties props = config.driverProperties();
      props.forEach((k, v) -> hikari.addDataSourceProperty((String) k, v));
    }
    hikari.setMaximumPoolSize(config.poolMaxSize());
    hikari.setMinimumIdle(config.poolMinIdle());
    hikari.setConnectionTimeout(config.poolConnectionTimeoutMs());
    hikari.setIdleTimeout(60_000);
    hikari.setAutoCommit(true);
    // Fail fast at start with the real reason (wrong password, unknown database) rather than on first use.
    hikari.setInitializationFailTimeout(config.poolConnectionTimeoutMs());
    try {
      HikariDataSource ds = new HikariDataSource(hikari);
      return new Database(ds, ds);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException(
          "Cannot connect to the Pangolin catalog database at "
              + config.uri().replaceAll("password=[^&]*", "password=***")
              + ": " + rootMessage(e) + ". Check the catalog properties 'uri', 'jdbc.user' and 'jdbc.password'.",
          null);
    }
  }

  /** A database over a data source the caller owns (the admin API and tests). */
  public static Database of(DataSource dataSource) {
    return new Database(dataSource, null);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs autocommit work; {@code translate} may turn an exception into a meaningful one or return null. */
  public <T> T run(String what, Function<SQLException, RuntimeException> translate, Work<T> work) {
    try (Connection conn = connect(what)) {
      return work.run(conn);
    } catch (SQLException e) {
      throw translated(what, translate, e);
    }
  }

  /** Runs work in one transaction, retried when it loses a serialization race. */
  public <T> T inTransaction(
      String what, Function<SQLException, RuntimeException> translate, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection conn = connect(what)) {
        conn.setAutoCommit(false);
        try {
          T result = work.run(conn);
          conn.commit();
          return result;
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(conn);
          throw e;
        } finally {
          conn.setAutoCommit(true);
        }
      } catch (SQLException e) {
        if (SqlErrors.isRetryable(e) && attempt < TRANSACTION_ATTEMPTS) {
          continue;
        }
        throw translated(what, translate, e);
      }
    }
  }

  /** Opens a connection, reporting an unreachable database with what was being attempted. */
  public Connection connect(String what) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "Cannot " + what + ": the Pangolin catalog database is unavailable (" + e.getMessage() + ")", e);
    }
  }

  private static RuntimeException translated(
      String what, Function<SQLException, RuntimeException> translate, SQLException e) {
    RuntimeException meaningful = translate == null ? null : translate.apply(e);
    if (meaningful != null) {
      return meaningful;
    }
    if (SqlErrors.isConnectionLost(e)) {
      return new StoreUnavailableException(
          "Cannot " + what + ": lost the connection to the Pangolin catalog database (" + e.getMessage() + ")", e);
    }
    return new StoreException(
        "Cannot " + what + ": the catalog database answered SQLSTATE " + SqlErrors.state(e) + ": " + e.getMessage(), e);
  }

  private static void rollbackQuietly(Connection conn) {
    try {
      conn.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the server rolls the transaction back.
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new StoreException("Cannot close the catalog database pool", e);
      }
    }
  }
}
