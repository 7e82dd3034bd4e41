package io.pangolin.metastore.pool;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The JVM-wide registry of connection pools: Pangolin's one deliberate mutable static. Engines give no other
 * place to share a pool: Spark builds a catalog instance per session and never closes it, and Flink opens the
 * catalog several times per job on every task manager. Without the registry each instance would hold a pool of
 * its own (a housekeeper thread and a server connection each), and hundreds of sessions would exhaust the
 * database's connections.
 *
 * <p>Pools are keyed by {@link PoolSettings} (URL, driver properties including user and password, pool settings)
 * and, for tests, the identity of an underlying data source; the key's {@code toString()} shows no credential.
 * Each catalog instance holds a {@link PoolLease}. A pool closes when its last lease is released: by
 * {@code close()}, or, for an instance dropped without closing, by a {@link Cleaner} once nothing can reach the
 * lease any more. Because the garbage collector may take long to notice, a pool nobody has used for
 * {@code idleCloseMs} is also closed (threads and connections gone), while its leases stay valid and reopen it on
 * their next use.
 */
final class PoolRegistry {

  private record Key(PoolSettings settings, DataSource underlying) {}

  private static final Map<Key, SharedPool> POOLS = new HashMap<>();
  private static final AtomicInteger NEXT_ID = new AtomicInteger();
  private static final Cleaner CLEANER = Cleaner.create(daemon("pangolin-pool-cleaner"));
  private static final ScheduledThreadPoolExecutor IDLE_CHECKS = idleChecks();

  private PoolRegistry() {}

  static PoolLease lease(PoolSettings settings, DataSource underlying) {
    Key key = new Key(settings, underlying);
    SharedPool pool;
    boolean first;
    synchronized (POOLS) {
      pool = POOLS.get(key);
      first = pool == null;
      if (first) {
        pool = newPool(settings, underlying);
        POOLS.put(key, pool);
      }
      pool.addLease();
    }
    SharedPool leased = pool;
    return new PoolLease(leased, first, lease -> CLEANER.register(lease, () -> release(key, leased)));
  }

  private static SharedPool newPool(PoolSettings settings, DataSource underlying) {
    return new SharedPool("pangolin-pool-" + NEXT_ID.incrementAndGet(), settings, underlying, IDLE_CHECKS);
  }

  private static void release(Key key, SharedPool pool) {
    synchronized (POOLS) {
      if (pool.removeLease() > 0) {
        return;
      }
      POOLS.remove(key, pool);
    }
    pool.retire();
  }

  private static ScheduledThreadPoolExecutor idleChecks() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("pangolin-pool-idle-check"));
    // The thread ends when no check is pending (no pool open), so it is not one more thread per idle JVM.
    executor.setKeepAliveTime(5, TimeUnit.SECONDS);
    executor.allowCoreThreadTimeOut(true);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
