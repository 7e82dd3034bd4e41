package io.pangolin.metastore.pool;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.security.Redaction;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What identifies a connection pool: the database URL, the driver properties (user and password among them) and
 * the pool's own settings. Catalog instances whose settings are equal share one pool per JVM
 * ({@link ConnectionPools}). {@link #toString()} names the driver properties but shows none of their values.
 */
public final class PoolSettings {

  /**
   * The socket timeout, in seconds, a catalog sets on its connections unless told otherwise; the pointer swap
   * derives its server-side limits from it when a connection has none.
   */
  public static final int STATEMENT_TIMEOUT_S_DEFAULT = 30;

  private final String url;
  private final Map<String, String> driverProperties;
  private final int maxSize;
  private final int minIdle;
  private final long connectionTimeoutMs;
  private final long idleCloseMs;

  public PoolSettings(String url, Map<String, String> driverProperties, int maxSize, int minIdle,
      long connectionTimeoutMs, long idleCloseMs) {
    this.url = requireNonNull(url, "url");
    this.driverProperties = Map.copyOf(requireNonNull(driverProperties, "driverProperties"));
    this.maxSize = maxSize;
    this.minIdle = minIdle;
    this.connectionTimeoutMs = connectionTimeoutMs;
    this.idleCloseMs = idleCloseMs;
  }

  public String url() {
    return url;
  }

  /** The properties handed to the PostgreSQL driver, including credentials: never print them. */
  public Map<String, String> driverProperties() {
    return driverProperties;
  }

  public int maxSize() {
    return maxSize;
  }

  public int minIdle() {
    return minIdle;
  }

  public long connectionTimeoutMs() {
    return connectionTimeoutMs;
  }

  /** How long a pool may go unused before it is closed (and reopened on the next use). */
  public long idleCloseMs() {
    return idleCloseMs;
  }

  /**
   * The login in an engine's terms: the catalog properties that set the credentials and the database, for the
   * messages of a connection the server refuses.
   */
  public DatabaseLogin login() {
    return new DatabaseLogin(url, driverProperties.get("user"), "the catalog properties 'jdbc.user' and"
        + " 'jdbc.password'", "migrate it with 'java -jar pangolin-catalog-<version>.jar schema migrate' (or set the"
        + " catalog property 'pangolin.schema.auto-migrate=true'), or correct the database in the catalog property"
        + " 'uri'");
  }

  /** The URL as it may be shown: a password written into it is masked. */
  public String printableUrl() {
    return Redaction.url(url);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolSettings other
        && url.equals(other.url)
        && driverProperties.equals(other.driverProperties)
        && maxSize == other.maxSize
        && minIdle == other.minIdle
        && connectionTimeoutMs == other.connectionTimeoutMs
        && idleCloseMs == other.idleCloseMs;
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, driverProperties, maxSize, minIdle, connectionTimeoutMs, idleCloseMs);
  }

  @Override
  public String toString() {
    return "PoolSettings{url=" + printableUrl() + ", driverProperties=" + new TreeMap<>(driverProperties).keySet()
        + ", size=" + minIdle + ".." + maxSize + ", connectionTimeoutMs=" + connectionTimeoutMs
        + ", idleCloseMs=" + idleCloseMs + "}";
  }
}
