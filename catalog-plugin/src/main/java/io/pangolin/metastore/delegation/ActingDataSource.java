package io.pangolin.metastore.delegation;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.BasicDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Connections of pangolin serve's login that act for one caller: each checkout first runs {@code pangolin.act_as}
 * with the caller's token (so a connection is handed out only once the database has accepted the token and
 * recorded whom it acts for) and, when given back, {@code pangolin.stop_acting}. A token the database refuses
 * fails the checkout with its SQLSTATE (class 28), which the catalog reports as a refused login.
 */
public final class ActingDataSource extends BasicDataSource {

  static final String ACT_AS = "SELECT pangolin.act_as(?)";
  static final String STOP_ACTING = "SELECT pangolin.stop_acting()";

  private final DataSource endpointConnections;
  private final String token;

  public ActingDataSource(DataSource endpointConnections, String token) {
    this.endpointConnections = requireNonNull(endpointConnections, "endpointConnections");
    this.token = requireNonNull(token, "token");
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection conn = endpointConnections.getConnection();
    try (PreparedStatement act = conn.prepareStatement(ACT_AS)) {
      act.setString(1, token);
      act.execute();
    } catch (SQLException e) {
      giveBack(conn, e);
      throw e;
    }
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> isClose(method) ? close(conn) : invoke(conn, method, args));
  }

  private static boolean isClose(Method method) {
    return method.getName().equals("close") && method.getParameterCount() == 0;
  }

  private static Object close(Connection conn) throws SQLException {
    SQLException failed = null;
    try (PreparedStatement stop = conn.prepareStatement(STOP_ACTING)) {
      stop.execute();
    } catch (SQLException e) {
      failed = e;
    }
    // Closing returns it to the pool even when stop_acting failed: the next checkout's act_as replaces the row
    // before any statement runs, or fails that checkout.
    conn.close();
    if (failed != null) {
      throw failed;
    }
    return null;
  }

  private static void giveBack(Connection conn, SQLException cause) {
    try {
      close(conn);
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  private static Object invoke(Connection conn, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(conn, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public String toString() {
    return "ActingDataSource{" + endpointConnections + "}";
  }
}
