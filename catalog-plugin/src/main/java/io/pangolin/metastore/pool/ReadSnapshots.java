package io.pangolin.metastore.pool;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.StoreUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Consistent reads: pointer loads that come from one thread in a quick succession (a burst) share one database
 * snapshot, so a query whose tables an engine loads one after another sees each merge into its ref entirely or not
 * at all. An engine never tells a catalog where a query begins or ends; a burst is the best evidence the catalog
 * has. It is one {@code REPEATABLE READ READ ONLY} transaction on a pooled connection, and it ends
 * <ul>
 *   <li>when the thread loads an object the burst has already loaded (the next query of a loop, or the engine
 *       refreshing what it planned with), so a reader never answers twice from the same snapshot;</li>
 *   <li>when the thread writes through this catalog instance, so it reads its own writes and a commit that lost a
 *       race retries against the current pointer;</li>
 *   <li>after {@code gapMs} without a load from the thread, or {@code maxMs} after it began, on a timer, so an
 *       idle thread holds neither a connection nor an old snapshot.</li>
 * </ul>
 * The server ends a burst left idle far longer (its {@code idle_in_transaction_session_timeout}), should the timer
 * not. Off, every load is its own autocommit statement, as before.
 */
public final class ReadSnapshots implements AutoCloseable {

  /** The first statement of a consistent-reads burst: its snapshot is taken at the next. */
  private static final String BEGIN_READ_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";

  /**
   * Sent with {@link #BEGIN_READ_SNAPSHOT}, with a number of milliseconds: the server ends a burst left idle that
   * long, should the client's own timer not (a frozen or vanished JVM), so no snapshot outlives its reader.
   */
  private static final String READ_SNAPSHOT_IDLE_LIMIT = "SET LOCAL idle_in_transaction_session_timeout = %d";

  private final Database db;
  private final ScheduledExecutorService timer;
  private final long gapNanos;
  private final long maxNanos;
  /** How long the server lets a burst sit idle: well past the timer's {@code gapMs}, which normally ends it. */
  private final long serverIdleLimitMs;
  private final Map<Thread, Burst> bursts = new ConcurrentHashMap<>();

  private ReadSnapshots(Database db, ScheduledExecutorService timer, long gapMs, long maxMs) {
    this.db = requireNonNull(db, "db");
    this.timer = timer;
    this.gapNanos = TimeUnit.MILLISECONDS.toNanos(gapMs);
    this.maxNanos = TimeUnit.MILLISECONDS.toNanos(maxMs);
    this.serverIdleLimitMs = Math.max(maxMs, 2 * gapMs);
  }

  /** Every load a statement of its own. */
  public static ReadSnapshots off(Database db) {
    return new ReadSnapshots(db, null, 0, 0);
  }

  /** Bursts of loads share a snapshot; {@code timer} ends idle ones. */
  public static ReadSnapshots on(Database db, ScheduledExecutorService timer, long gapMs, long maxMs) {
    if (gapMs <= 0 || maxMs < gapMs) {
      throw new IllegalArgumentException("Consistent reads need 0 < gap (" + gapMs + " ms) <= max (" + maxMs + " ms)");
    }
    return new ReadSnapshots(db, requireNonNull(timer, "timer"), gapMs, maxMs);
  }

  /**
   * Runs the read of {@code subject} (an object's name) in the calling thread's burst, beginning one when there is
   * none, or when the burst already read {@code subject} or has run out of time.
   */
  public <T> T read(String what, Object subject, Database.Work<T> work) {
    if (timer == null) {
      return db.run(what, null, work);
    }
    Burst burst = joinOrBegin(subject, what);
    boolean begunHere = burst.subjects.isEmpty();
    try {
      return readIn(burst, subject, what, work);
    } catch (StoreUnavailableException lost) {
      if (begunHere) {
        throw lost;
      }
      // The server ended the burst's session (idle_in_transaction_session_timeout, a restart): read in a new one.
      Burst fresh = joinOrBegin(subject, what);
      try {
        return readIn(fresh, subject, what, work);
      } finally {
        fresh.lock.unlock();
      }
    } finally {
      burst.lock.unlock();
    }
  }

  private <T> T readIn(Burst burst, Object subject, String what, Database.Work<T> work) {
    try {
      T result = db.runOn(burst.connection, what, null, work);
      burst.subjects.add(subject);
      burst.lastNanos = System.nanoTime();
      return result;
    } catch (RuntimeException e) {
      // A failed statement aborts the transaction; the next read begins a new one.
      bursts.remove(burst.owner, burst);
      burst.closeLocked();
      throw e;
    }
  }

  /** Ends the calling thread's burst: it is about to write, or asked for what is current. */
  public void end() {
    if (timer == null) {
      return;
    }
    Burst burst = bursts.remove(Thread.currentThread());
    if (burst != null) {
      endSoon(burst);
    }
  }

  /** Ends every burst; the catalog is closing. */
  @Override
  public void close() {
    bursts.values().forEach(Burst::close);
    bursts.clear();
  }

  /** The burst to read in, locked by the caller. */
  private Burst joinOrBegin(Object subject, String what) {
    Thread owner = Thread.currentThread();
    Burst burst = bursts.get(owner);
    if (burst != null) {
      burst.lock.lock();
      long now = System.nanoTime();
      if (burst.open && !burst.subjects.contains(subject) && now - burst.lastNanos < gapNanos
          && now - burst.beganNanos < maxNanos) {
        return burst;
      }
      burst.lock.unlock();
      bursts.remove(owner, burst);
      endSoon(burst);
    }
    Burst begun = begin(owner, what);
    begun.lock.lock();
    bursts.put(owner, begun);
    checkLater(begun, gapNanos);
    return begun;
  }

  private Burst begin(Thread owner, String what) {
    Connection conn = db.connect(what);
    Burst burst = new Burst(owner, conn);
    try {
      db.runOn(conn, what, null, c -> {
        c.setAutoCommit(false);
        try (Statement stmt = c.createStatement()) {
          stmt.addBatch(BEGIN_READ_SNAPSHOT);
          stmt.addBatch(String.format(READ_SNAPSHOT_IDLE_LIMIT, serverIdleLimitMs));
          return stmt.executeBatch();
        }
      });
      return burst;
    } catch (RuntimeException e) {
      burst.close();
      throw e;
    }
  }

  /** Rolls a burst back off the reading thread, which does not wait for it; inline when the timer is gone. */
  private void endSoon(Burst burst) {
    try {
      timer.execute(burst::close);
    } catch (RejectedExecutionException e) {
      burst.close();
    }
  }

  private void checkLater(Burst burst, long delayNanos) {
    try {
      timer.schedule(() -> check(burst), Math.max(delayNanos, 1), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      endSoon(burst);
    }
  }

  /** Ends a burst that has been idle or open too long; otherwise looks again when it could be. */
  private void check(Burst burst) {
    if (!burst.lock.tryLock()) {
      checkLater(burst, gapNanos);
      return;
    }
    try {
      if (!burst.open) {
        return;
      }
      long now = System.nanoTime();
      long idleLeft = gapNanos - (now - burst.lastNanos);
      long ageLeft = maxNanos - (now - burst.beganNanos);
      if (idleLeft > 0 && ageLeft > 0) {
        checkLater(burst, Math.min(idleLeft, ageLeft));
        return;
      }
      bursts.remove(burst.owner, burst);
      burst.closeLocked();
    } finally {
      burst.lock.unlock();
    }
  }

  /** One thread's snapshot: its transaction, what it has read, and when. Guarded by {@link #lock}. */
  private static final class Burst {
    final Thread owner;
    final Connection connection;
    final ReentrantLock lock = new ReentrantLock();
    final Set<Object> subjects = new HashSet<>();
    final long beganNanos = System.nanoTime();
    long lastNanos = beganNanos;
    boolean open = true;

    Burst(Thread owner, Connection connection) {
      this.owner = owner;
      this.connection = connection;
    }

    void close() {
      lock.lock();
      try {
        closeLocked();
      } finally {
        lock.unlock();
      }
    }

    /** Rolls back (the transaction only read) and returns the connection; a broken one the pool discards. */
    void closeLocked() {
      if (!open) {
        return;
      }
      open = false;
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // The connection is gone with its transaction; closing it below hands it back for the pool to discard.
      }
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Nothing more to release.
      }
    }
  }
}
