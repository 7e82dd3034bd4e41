package io.pangolin.metastore.delegation;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.BasicDataSource;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * The connections of one request of pangolin serve, all acting for its caller: a connection is checked out (and
 * {@code pangolin.act_as} run) the first time the request needs one, kept across the request's statements, and given
 * back ({@code pangolin.stop_acting}) when the session closes. Work that runs in parallel gets connections of its own.
 * Closing a connection it handed out only makes that connection free for the request's next statement.
 */
public final class ActingSession extends BasicDataSource implements AutoCloseable {

  private final ActingDataSource acting;
  private final Deque<Connection> idle = new ArrayDeque<>();
  private final List<Connection> held = new CopyOnWriteArrayList<>();
  private boolean closed;

  public ActingSession(DataSource endpointConnections, String token) {
    this.acting = new ActingDataSource(requireNonNull(endpointConnections, "endpointConnections"),
        requireNonNull(token, "token"));
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection conn;
    synchronized (this) {
      if (closed) {
        throw new SQLException("The request has ended; its connections are given back", "08003");
      }
      conn = idle.poll();
    }
    if (conn == null) {
      conn = acting.getConnection();
      held.add(conn);
    }
    Connection own = conn;
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("close") && method.getParameterCount() == 0) {
            release(own);
            return null;
          }
          if (method.getName().equals("isClosed") && method.getParameterCount() == 0) {
            return own.isClosed();
          }
          try {
            return method.invoke(own, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private synchronized void release(Connection conn) {
    if (!closed) {
      idle.push(conn);
    }
  }

  /** Gives every connection back, each first acting for no one. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      idle.clear();
    }
    SQLException failed = null;
    for (Connection conn : held) {
      try {
        conn.close();
      } catch (SQLException e) {
        failed = failed == null ? e : failed;
      }
    }
    held.clear();
    if (failed != null) {
      throw new IllegalStateException("Cannot give back a connection of pangolin serve's pool", failed);
    }
  }

  @Override
  public String toString() {
    return "ActingSession{" + acting + "}";
  }
}
