package io.pangolin.metastore;

import io.pangolin.security.Redaction;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * A login to the catalog database as whoever configured it sees it: the URL and user, where they set the
 * credentials, and how they create Pangolin's schema in a new database. A connection the server refuses is
 * explained in these terms ({@link SqlErrors#connectFailed}), so the command line names its options and environment
 * variables and an engine its catalog properties. Holds no password.
 */
public record DatabaseLogin(String url, String user, String credentials, String migrate) {

  /** For a caller that said nothing of its own: the admin API and tests. */
  public static DatabaseLogin of(String url, String user) {
    return new DatabaseLogin(url, user, "the database user and password",
        "migrate it with 'pangolin schema migrate'");
  }

  /** The login's user; the driver's default, the operating system's user name, when none was given. */
  public String userOrDefault() {
    String fromUrl = parsed().getProperty("user");
    return user != null ? user : fromUrl != null ? fromUrl : System.getProperty("user.name");
  }

  /** The database the URL names. */
  public String database() {
    return parsed().getProperty("PGDBNAME", "(none)");
  }

  /** host:port of the server the URL names, or the URL itself (masked) when it cannot be read. */
  public String server() {
    Properties p = parsed();
    return p.getProperty("PGHOST") == null ? Redaction.url(String.valueOf(url))
        : p.getProperty("PGHOST") + ":" + p.getProperty("PGPORT", "5432");
  }

  private Properties parsed() {
    Properties p = url == null ? null : Driver.parseURL(url, null);
    return p != null ? p : new Properties();
  }
}
