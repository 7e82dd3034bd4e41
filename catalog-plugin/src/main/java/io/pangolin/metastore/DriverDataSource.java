package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Redaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Map;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Connections from the PostgreSQL driver in Pangolin's own jar, asked directly. The driver's data sources go through
 * DriverManager, which hands the URL to whichever registered driver takes it first: in an engine or an application
 * that has its own copy of the driver, that copy, whose exceptions Pangolin's (relocated) driver classes do not
 * recognise, so the server's words could not be read apart from the context of the functions they passed through.
 * The properties hold the login's password: never print them.
 */
public final class DriverDataSource extends BasicDataSource {

  private static final Driver DRIVER = new Driver();

  private final String url;
  private final Map<String, String> properties;

  public DriverDataSource(String url, Map<String, String> properties) {
    if (Driver.parseURL(requireNonNull(url, "url"), null) == null) {
      throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + Redaction.url(url) + "; give one like"
          + " jdbc:postgresql://host:5432/database");
    }
    this.url = url;
    this.properties = Map.copyOf(requireNonNull(properties, "properties"));
  }

  @Override
  public Connection getConnection() throws SQLException {
    Properties props = new Properties();
    props.putAll(properties);
    // A pool over this source (Hikari) sets the login timeout from its own connection timeout.
    if (getLoginTimeout() > 0 && !props.containsKey("loginTimeout")) {
      props.setProperty("loginTimeout", Integer.toString(getLoginTimeout()));
    }
    Connection conn = DRIVER.connect(url, props);
    if (conn == null) {
      throw new SQLNonTransientConnectionException("Not a PostgreSQL JDBC URL: " + Redaction.url(url), "08001");
    }
    return conn;
  }
}
