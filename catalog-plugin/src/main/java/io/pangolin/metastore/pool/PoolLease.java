package io.pangolin.metastore.pool;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.BasicDataSource;
import io.pangolin.metastore.Database;
import java.lang.ref.Cleaner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One catalog instance's share of a pool of {@link PoolRegistry}, used as its data source. Released once: by
 * {@link #close()}, or when nothing references the lease any more (everything that can run a statement, tables
 * an engine still holds included, reaches the pool through it). After release it hands out no connection.
 */
public final class PoolLease extends BasicDataSource implements AutoCloseable {

  private final SharedPool pool;
  private final boolean firstOfItsPool;
  private final AtomicBoolean released = new AtomicBoolean();
  private final Cleaner.Cleanable release;

  PoolLease(SharedPool pool, boolean firstOfItsPool, Function<PoolLease, Cleaner.Cleanable> registerRelease) {
    this.pool = requireNonNull(pool, "pool");
    this.firstOfItsPool = firstOfItsPool;
    this.release = registerRelease.apply(this);
  }

  /** True when this lease opened its pool, so nothing has connected through it yet. */
  boolean isFirstOfItsPool() {
    return firstOfItsPool;
  }

  /** The database over this lease; closing it releases the lease. */
  public Database database() {
    return Database.owning(this, this, pool.login());
  }

  /** True when some catalog instance on this pool has found the schema current (it is checked once per pool). */
  public boolean schemaVerified() {
    return pool.schemaVerified();
  }

  /** Consistent reads over this lease's pool, ended on the registry's timer ({@link ReadSnapshots}). */
  public ReadSnapshots readSnapshots(Database db, long gapMs, long maxMs) {
    return ReadSnapshots.on(db, pool.timer(), gapMs, maxMs);
  }

  public void markSchemaVerified() {
    pool.markSchemaVerified();
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (released.get()) {
      throw new SQLNonTransientConnectionException("The catalog was closed", "08003");
    }
    return pool.getConnection();
  }

  @Override
  public void close() {
    if (released.compareAndSet(false, true)) {
      release.clean();
    }
  }

  @Override
  public String toString() {
    return "PoolLease{" + pool + (released.get() ? ", released" : "") + "}";
  }
}
