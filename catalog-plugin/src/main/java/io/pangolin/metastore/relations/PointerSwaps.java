package io.pangolin.metastore.relations;

import static io.pangolin.metastore.relations.CatalogSql.BEGIN_SWAP;
import static io.pangolin.metastore.relations.CatalogSql.COMMIT;
import static io.pangolin.metastore.relations.CatalogSql.SWAP_POINTER;
import static io.pangolin.metastore.relations.CatalogSql.SWAP_POINTER_IN_TRANSACTION;
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
import java.util.List;
import java.util.stream.Collectors;
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
      bindSwap(conn, stmt, id, kind, expected, next);
      return answer(stmt);
    });
  }

  private void bindSwap(Connection conn, PreparedStatement stmt, TableIdentifier id, RelationKind kind,
      String expected, String next) throws SQLException {
    stmt.setString(1, next);
    stmt.setLong(2, binding.catalogId());
    stmt.setArray(3, NamespaceLevels.of(conn, id.namespace()));
    stmt.setString(4, id.name());
    stmt.setString(5, kind.name());
    stmt.setString(6, expected);
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
    return inSwapTransaction(what, tx -> {
      try (PreparedStatement stmt = tx.conn().prepareStatement(sql)) {
        int updated = statement.run(tx.conn(), stmt);
        tx.conn().commit();
        return updated == 1 ? SwapResult.swapped() : SwapResult.conflict();
      } catch (SQLException e) {
        return tx.failed(e, what);
      }
    });
  }

  /**
   * Moves every table pointer of {@code moves} in one transaction, in identifier order so that two such
   * transactions lock their rows in the same order and never deadlock: each swap must answer 1, or the transaction
   * is rolled back at the first that does not; then a COMMIT of its own. Round trips: one to begin, one per table,
   * one for the COMMIT. The answer names the move it stopped at, if any: a lost answer at a move is a certain
   * failure (no COMMIT was sent), a lost answer to the COMMIT is settled by {@link #fate}.
   */
  SwapAllResult swapAll(List<PointerMove> moves) {
    List<PointerMove> ordered = moves.stream().sorted(PointerMove.ORDER).toList();
    String all = "commit to tables " + ordered.stream().map(m -> m.id().toString()).collect(Collectors.joining(", "));
    return inSwapTransaction(all, tx -> {
      for (PointerMove move : ordered) {
        String what = "commit to table " + move.id();
        try (PreparedStatement stmt = tx.conn().prepareStatement(SWAP_POINTER_IN_TRANSACTION)) {
          bindSwap(tx.conn(), stmt, move.id(), RelationKind.TABLE, move.expected(), move.next());
          if (answer(stmt) != 1) {
            tx.conn().rollback();
            return new SwapAllResult(SwapResult.conflict(), move);
          }
        } catch (SQLException e) {
          return new SwapAllResult(tx.failed(e, what), move);
        }
      }
      try (PreparedStatement commit = tx.conn().prepareStatement(COMMIT)) {
        commit.execute();
        return new SwapAllResult(SwapResult.swapped(), null);
      } catch (SQLException e) {
        return new SwapAllResult(tx.failed(e, all), null);
      }
    });
  }

  /** The open swap transaction: its connection, its id and the client's timeout it was bounded by. */
  private record SwapTransaction(Database db, Connection conn, String xid, long clientMs) {

    /**
     * What a failed statement of the transaction means: a lost answer is unknown (with the id to settle it by), a
     * server that ended the transaction aborted it, a refusal is thrown as the database's callers take it.
     */
    SwapResult failed(SQLException e, String what) throws SQLException {
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
  }

  @FunctionalInterface
  private interface InTransaction<T> {
    T run(SwapTransaction tx) throws SQLException;
  }

  /** Runs {@code work} in a transaction that names its id and bounds itself on the server before anything else. */
  private <T> T inSwapTransaction(String what, InTransaction<T> work) {
    try (Connection conn = db.connect(what)) {
      long clientMs = clientTimeoutMs(conn);
      conn.setAutoCommit(false);
      try {
        String xid = begin(conn, clientMs / 2);
        return work.run(new SwapTransaction(db, conn, xid, clientMs));
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
