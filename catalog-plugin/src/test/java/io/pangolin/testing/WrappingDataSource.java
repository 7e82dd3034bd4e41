package io.pangolin.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Physical connections from a real data source, each passed through {@link #wrap} first: the one seam tests and
 * benchmarks use to inject faults or count statements under a connection pool.
 */
public abstract class WrappingDataSource implements DataSource {

  private final DataSource real;

  protected WrappingDataSource(DataSource real) {
    this.real = real;
  }

  protected abstract Connection wrap(Connection connection);

  @Override
  public final Connection getConnection() throws SQLException {
    return wrap(real.getConnection());
  }

  @Override
  public final Connection getConnection(String user, String password) throws SQLException {
    return wrap(real.getConnection(user, password));
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return real.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    real.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    real.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return real.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return real.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return real.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return real.isWrapperFor(iface);
  }
}
