package io.pangolin.bench.count;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Physical connections from {@code real}, each counted by {@link CountingConnections}. Goes under a pool. */
public final class CountingDataSource implements DataSource {

  private final DataSource real;
  private final SqlCounter counter;

  public CountingDataSource(DataSource real, SqlCounter counter) {
    this.real = real;
    this.counter = counter;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return CountingConnections.wrap(real.getConnection(), counter);
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return CountingConnections.wrap(real.getConnection(user, password), counter);
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
