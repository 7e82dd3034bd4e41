package io.pangolin.metastore.pool;

import static java.util.Objects.requireNonNull;

import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.metastore.DatabaseLogin;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * One pool of {@link PoolRegistry}: the Hikari pool while it is open, the number of leases on it, and what is
 * known about its database. The Hikari pool is opened on first use, closed after {@code idleCloseMs} without use
 * (no connection borrowed or being borrowed), reopened on the next use, and closed for good when the last lease
 * goes ({@link #retire}). Every change happens under this object's monitor, so a connection is only ever asked of
 * an open pool, and an idle close never takes a pool from under a borrower.
 */
final class SharedPool {

  private final String name;
  private final PoolSettings settings;
  private final PhysicalConnections physical;
  private final ScheduledExecutorService idleChecks;

  private HikariDataSource hikari;
  private Future<?> idleCheck;
  private int leases;
  private int borrowing;
  private long lastUsedNanos;
  private boolean retired;
  private volatile boolean schemaVerified;

  SharedPool(String name, PoolSettings settings, DataSource underlying, ScheduledExecutorService idleChecks) {
    this.name = requireNonNull(name, "name");
    this.settings = requireNonNull(settings, "settings");
    this.physical = new PhysicalConnections(settings, underlying);
    this.idleChecks = requireNonNull(idleChecks, "idleChecks");
  }

  Connection getConnection() throws SQLException {
    HikariDataSource open;
    boolean opened = false;
    synchronized (this) {
      if (retired) {
        throw new SQLNonTransientConnectionException("The catalog's connection pool " + name + " is closed", "08003");
      }
      if (hikari == null) {
        hikari = ConnectionPools.create(name, settings, physical);
        checkIdleIn(settings.idleCloseMs());
        opened = true;
      }
      borrowing++;
      lastUsedNanos = System.nanoTime();
      open = hikari;
    }
    try {
      // A new pool, or one whose server last refused the login: connect once outside Hikari, so that a refusal
      // fails now rather than after Hikari's retries (PhysicalConnections).
      if (opened || physical.refused()) {
        physical.probe();
      }
      return open.getConnection();
    } finally {
      synchronized (this) {
        borrowing--;
        lastUsedNanos = System.nanoTime();
      }
    }
  }

  synchronized int addLease() {
    return ++leases;
  }

  synchronized int removeLease() {
    return --leases;
  }

  /** Closes the Hikari pool when it has been unused long enough; otherwise checks again when it could be. */
  void closeIfIdle() {
    HikariDataSource idle;
    synchronized (this) {
      if (retired || hikari == null) {
        return;
      }
      long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastUsedNanos);
      boolean inUse = borrowing > 0 || hikari.getHikariPoolMXBean().getActiveConnections() > 0;
      if (inUse || idleMs < settings.idleCloseMs()) {
        checkIdleIn(inUse ? settings.idleCloseMs() : settings.idleCloseMs() - idleMs);
        return;
      }
      idle = hikari;
      hikari = null;
    }
    // Nothing is borrowed and the next borrower opens a new pool, so this one is closed outside the monitor.
    idle.close();
    physical.discardProbed();
  }

  private void checkIdleIn(long delayMs) {
    idleCheck = idleChecks.schedule(this::closeIfIdle, Math.max(delayMs, 1), TimeUnit.MILLISECONDS);
  }

  /** Closes the pool for good: its last lease is gone. */
  void retire() {
    HikariDataSource last;
    synchronized (this) {
      retired = true;
      last = hikari;
      hikari = null;
      if (idleCheck != null) {
        idleCheck.cancel(false);
      }
    }
    if (last != null) {
      last.close();
    }
    physical.discardProbed();
  }

  /** The login of the pool's connections, in an engine's terms. */
  DatabaseLogin login() {
    return settings.login();
  }

  /** The registry's timer, for work that must happen later without a thread of its own. */
  ScheduledExecutorService timer() {
    return idleChecks;
  }

  boolean schemaVerified() {
    return schemaVerified;
  }

  void markSchemaVerified() {
    schemaVerified = true;
  }

  @Override
  public String toString() {
    return name + " " + settings;
  }
}
