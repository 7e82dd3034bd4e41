package io.pangolin.bench.catalogs;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** Connections from one given JDBC driver instance, bypassing DriverManager's choice among registered drivers. */
final class DriverDataSource implements DataSource {

  private final Driver driver;
  private final String url;
  private final Properties properties;
  // Kept because the pool reads it back: Hikari sets it from its connection timeout, as it does for a URL.
  private volatile int loginTimeoutSeconds;

  DriverDataSource(Driver driver, String url, Properties properties) {
    this.driver = driver;
    this.url = url;
    this.properties = properties;
  }

  @Override
  public Connection getConnection() throws SQLException {
    Connection conn = driver.connect(url, properties);
    if (conn == null) {
      throw new SQLException("Driver " + driver.getClass().getName() + " does not accept " + url);
    }
    return conn;
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties withUser = new Properties();
    withUser.putAll(properties);
    withUser.setProperty("user", user);
    withUser.setProperty("password", password);
    Connection conn = driver.connect(url, withUser);
    if (conn == null) {
      throw new SQLException("Driver " + driver.getClass().getName() + " does not accept " + url);
    }
    return conn;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // Not used.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("Not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
