package io.pangolin.bench.catalogs;

import io.pangolin.metastore.BasicDataSource;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/** Connections from one given JDBC driver instance, bypassing DriverManager's choice among registered drivers. */
final class DriverDataSource extends BasicDataSource {

  private final Driver driver;
  private final String url;
  private final Properties properties;

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
}
