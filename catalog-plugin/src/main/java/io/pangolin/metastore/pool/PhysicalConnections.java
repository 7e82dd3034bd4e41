package io.pangolin.metastore.pool;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.BasicDataSource;
import io.pangolin.metastore.DriverDataSource;
import io.pangolin.metastore.SqlErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;

/**
 * The physical connections under one Hikari pool: opened by the PostgreSQL driver, or by a data source a test
 * injects. Hikari retries a connection that fails until its connection timeout, which is right for a server that is
 * restarting and wrong for one that answered and refused the login or the database ({@link
 * SqlErrors#isRefusedAtConnect}): that answer will not change, the caller waits seconds for it, and every retry is a
 * failed login in the server's log. So a {@link #probe} connects once outside Hikari before the pool is asked, and
 * fails at once on a refusal; while a refusal is the last answer, Hikari's own attempts fail without reaching the
 * server, until a probe connects again (the login was fixed).
 */
final class PhysicalConnections extends BasicDataSource {

  private final DataSource source;
  /** A connection a probe opened, which Hikari's next ask takes, so probing costs no extra connection. */
  private final AtomicReference<Connection> probed = new AtomicReference<>();
  private volatile SQLException refused;

  PhysicalConnections(PoolSettings settings, DataSource underlying) {
    this.source = underlying != null ? underlying
        : new DriverDataSource(requireNonNull(settings, "settings").url(), settings.driverProperties());
  }

  /** True while the server's last answer to a new connection was a refusal. */
  boolean refused() {
    return refused != null;
  }

  /**
   * Connects once, now: throws the server's refusal at once; keeps the connection for Hikari. Any other failure is
   * left to Hikari, which retries within its connection timeout as before.
   */
  void probe() throws SQLException {
    Connection conn;
    try {
      conn = open();
    } catch (SQLException e) {
      if (SqlErrors.isRefusedAtConnect(e)) {
        throw e;
      }
      return;
    }
    discard(probed.getAndSet(conn));
  }

  /**
   * Hikari's ask: the probed connection if one waits, a refusal without reaching the server, or a new one. Hikari
   * sets the login timeout here, from its connection timeout; the driver's source takes it from here.
   */
  @Override
  public void setLoginTimeout(int seconds) {
    super.setLoginTimeout(seconds);
    try {
      source.setLoginTimeout(seconds);
    } catch (SQLException ignored) {
      // A test's source without a login timeout: its connections come at once anyway.
    }
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection ready = probed.getAndSet(null);
    if (ready != null) {
      return ready;
    }
    SQLException last = refused;
    if (last != null) {
      throw new SQLNonTransientConnectionException("Not retried: " + last.getMessage(), last.getSQLState(), last);
    }
    return open();
  }

  /** Closes a probed connection Hikari never took: its pool is closing. */
  void discardProbed() {
    discard(probed.getAndSet(null));
  }

  private Connection open() throws SQLException {
    try {
      Connection conn = source.getConnection();
      refused = null;
      return conn;
    } catch (SQLException e) {
      if (SqlErrors.isRefusedAtConnect(e)) {
        refused = e;
      }
      throw e;
    }
  }

  private static void discard(Connection conn) {
    if (conn != null) {
      try {
        conn.close();
      } catch (SQLException ignored) {
        // A connection nobody used; nothing depends on its close.
      }
    }
  }
}
