package io.pangolin.metastore.relations;

import static io.pangolin.metastore.relations.CatalogSql.BEGIN_SWAP;
import static io.pangolin.metastore.relations.CatalogSql.SWAP_POINTER;
import static io.pangolin.metastore.relations.CatalogSql.TRANSACTION_STATUS;
import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.StoreException;
import io.pangolin.metastore.StoreUnavailableException;
import io.pangolin.metastore.pool.PoolSettings;
import io.pangolin.metastore.relations.SwapResult.Fate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The pointer compare-and-swap as a transaction whose fate can be asked for after its answer is lost. It never
 * relies on a server process id: behind PgBouncer or RDS Proxy the id a client is given is made up, and in
 * transaction pooling a server connection serves many clients, so ending a process could end someone else's work.
 * A transaction id is the same on every connection.
 *
 * <p>Round trips: the first names the transaction and sets its server-side limits (pgjdbc sends the BEGIN with
 * it); the second runs the UPDATE and the COMMIT. The server-side limits are half the client's socket timeout,
 * so a swap blocked on a lock ends on the server, rolled back, before the client stops waiting for it.
 */
final class PointerSwaps {

  private static final long POLL_INTERVAL_MS = 50;

  private final Database db;
  private final CatalogBinding binding;

  PointerSwaps(Database db, CatalogBinding binding) {
    this.db = requireNonNull(db, "db");
    this.binding = requireNonNull(binding, "binding");
  }

  SwapResult swap(TableIdentifier id, RelationKind kind, String expected, String next) {
    return swap("commit to " + kind.label() + " " + id, SWAP_POINTER, (conn, stmt) -> {
      stmt.setString(1, next);
      stmt.setLong(2, binding.catalogId());
      stmt.setArray(3, NamespaceLevels.of(conn, id.namespace()));
      stmt.setString(4, id.name());
      stmt.setString(5, kind.name());
      stmt.setString(6, expected);
      return answer(stmt);
    });
  }

  /** Runs a {@code SELECT f(...); COMMIT} swap and returns what the function answered. */
  static int answer(PreparedStatement stmt) throws SQLException {
    stmt.execute();
    try (ResultSet rs = stmt.getResultSet()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** One compare-and-swap statement followed by COMMIT, run by {@code swap}; answers how many pointers it moved. */
  @FunctionalInterface
  interface SwapStatement {
    int run(Connection conn, PreparedStatement stmt) throws SQLException;
  }

  /** Runs {@code sql} (a compare-and-swap and the COMMIT) in the transaction this class keeps settleable. */
  SwapResult swap(String what, String sql, SwapStatement statement) {
    try (Connection conn = db.connect(what)) {
      long clientMs = clientTimeoutMs(conn);
      conn.setAutoCommit(false);
      try {
        String xid = begin(conn, clientMs / 2);
        try (PreparedStatement stmt = conn.prepareStatement(sql)) {
          int updated = statement.run(conn, stmt);
          conn.commit();
          return updated == 1 ? SwapResult.swapped() : SwapResult.conflict();
        } catch (SQLException e) {
          if (SqlErrors.isConnectionLost(e)) {
            return SwapResult.unknown(xid, Duration.ofMillis(clientMs), e);
          }
          conn.rollback();
          if (SqlErrors.isTransactionAborted(e)) {
            return SwapResult.aborted(e);
          }
          RuntimeException refused = db.refusal(e, conn, what);
          if (refused != null) {
            throw refused;
          }
          throw new StoreException("Cannot " + what + ": the catalog database answered SQLSTATE "
              + SqlErrors.state(e) + ": " + SqlErrors.serverMessage(e), SqlErrors.asCause(e));
        }
      } finally {
        restoreAutoCommit(conn);
      }
    } catch (SQLException e) {
      // Failed before the UPDATE was sent, or while rolling back one the server refused: the pointer is as it was.
      throw new StoreUnavailableException("Cannot " + what + ": " + SqlErrors.serverMessage(e), e);
    }
  }

  private static String begin(Connection conn, long serverMs) throws SQLException {
    String limit = Long.toString(Math.max(1, serverMs));
    try (PreparedStatement stmt = conn.prepareStatement(BEGIN_SWAP)) {
      stmt.setString(1, limit);
      stmt.setString(2, limit);
      stmt.setString(3, limit);
      try (ResultSet rs = stmt.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /** The driver's socket timeout; without one, the default the catalog would have set. */
  private static long clientTimeoutMs(Connection conn) throws SQLException {
    int ms = conn.getNetworkTimeout();
    return ms > 0 ? ms : PoolSettings.STATEMENT_TIMEOUT_S_DEFAULT * 1000L;
  }

  private static void restoreAutoCommit(Connection conn) {
    try {
      if (!conn.isClosed()) {
        conn.setAutoCommit(true);
      }
    } catch (SQLException e) {
      // A broken connection; the pool discards it.
    }
  }

  /**
   * Asks, on other connections, for the fate of a swap whose answer was lost, until the server has decided it
   * or {@code lost.settleWithin()} has passed. The server-side limits end the swap well within that time, so a
   * transaction still running then, or a database that cannot be asked, is reported as unknown.
   */
  Fate fate(SwapResult lost) {
    long deadline = System.nanoTime() + lost.settleWithin().toNanos();
    while (true) {
      String status = status(lost.transactionId());
      if ("committed".equals(status)) {
        return Fate.COMMITTED;
      }
      if ("aborted".equals(status)) {
        return Fate.ABORTED;
      }
      if (System.nanoTime() - deadline >= 0) {
        return Fate.UNKNOWN;
      }
      try {
        Thread.sleep(POLL_INTERVAL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Fate.UNKNOWN;
      }
    }
  }

  /** The server's answer, or null when it is not known ('in progress', too old, or the database unreachable). */
  private String status(String transactionId) {
    try {
      return db.run("settle a lost commit", null, conn -> {
        try (PreparedStatement stmt = conn.prepareStatement(TRANSACTION_STATUS)) {
          stmt.setString(1, transactionId);
          try (ResultSet rs = stmt.executeQuery()) {
            rs.next();
            return rs.getString(1);
          }
        }
      });
    } catch (StoreException e) {
      return null;
    }
  }
}
