package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.postgresql.ds.common.BaseDataSource;

/**
 * The catalog database, and the one way Pangolin runs work on it: every statement is a single autocommit round
 * trip (the schema's constraints make each one safe alone). Every {@link SQLException} leaves through
 * {@link #run}, where the caller's translator turns the meaningful ones into Iceberg or Pangolin exceptions and
 * the rest into {@link StoreException}s that say what was being done. A refusal by the database's access control
 * leaves as {@link RefusedException}, or as whatever {@link #withRefusals} says (the engine's catalog: Iceberg's
 * ForbiddenException), so the metastore itself needs no engine class.
 */
public final class Database implements AutoCloseable {

  /** Work against one connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;
  private final AutoCloseable owned;
  private final DatabaseLogin login;
  private final Function<RefusedException, ? extends RuntimeException> refusals;

  private Database(DataSource dataSource, AutoCloseable owned, DatabaseLogin login,
      Function<RefusedException, ? extends RuntimeException> refusals) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.owned = owned;
    this.login = requireNonNull(login, "login");
    this.refusals = requireNonNull(refusals, "refusals");
  }

  /**
   * A database over a pool it owns: closing the database closes the pool. Public for the pool package's leases;
   * callers outside the metastore use {@link #of}.
   */
  public static Database owning(DataSource pool, AutoCloseable closer, DatabaseLogin login) {
    return new Database(pool, closer, login, refused -> refused);
  }

  /** A database over a data source the caller owns (the admin API and tests). */
  public static Database of(DataSource dataSource) {
    return of(dataSource, dataSource instanceof BaseDataSource pg ? DatabaseLogin.of(pg.getUrl(), pg.getUser())
        : DatabaseLogin.of(null, null));
  }

  /** As {@link #of(DataSource)}, explaining a refused connection in the terms of {@code login}. */
  public static Database of(DataSource dataSource, DatabaseLogin login) {
    return new Database(dataSource, null, login, refused -> refused);
  }

  /**
   * This database (the same data source, and closing it closes what this one owns) with its refusals, a refused
   * login among them, handed to callers as {@code translate} makes them: the engine's catalog turns them into
   * Iceberg's exceptions there.
   */
  public Database withRefusals(Function<RefusedException, ? extends RuntimeException> translate) {
    return new Database(dataSource, owned, login, translate);
  }

  /**
   * A refusal by the database's access control, or a write on a tag, as this database's callers take it; null for
   * any other error. For work that handles its own SQL errors (a pointer swap).
   */
  public RuntimeException refusal(SQLException e, Connection conn, String what) {
    RefusedException refused = SqlErrors.refused(e, SqlErrors.principal(conn), what);
    return refused == null ? null : refusals.apply(refused);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Runs autocommit work; {@code translate} may turn an exception into a meaningful one or return null. */
  public <T> T run(String what, Function<SQLException, RuntimeException> translate, Work<T> work) {
    try (Connection conn = connect(what)) {
      return runOn(conn, what, translate, work);
    } catch (SQLException e) {
      throw translated(what, translate, e);
    }
  }

  /** As {@link #run}, on a connection the caller holds and keeps: the work joins whatever transaction it has. */
  public <T> T runOn(Connection conn, String what, Function<SQLException, RuntimeException> translate,
      Work<T> work) {
    try {
      return work.run(conn);
    } catch (SQLException e) {
      RuntimeException refused = refusal(e, conn, what);
      throw refused != null ? refused : translated(what, translate, e);
    }
  }

  /**
   * Runs work as one transaction, for the few changes that are not one statement (a role and its password, a
   * role's grants and the role itself): all of it lands or none does.
   */
  public <T> T inTransaction(String what, Function<SQLException, RuntimeException> translate, Work<T> work) {
    return run(what, translate, conn -> {
      conn.setAutoCommit(false);
      try {
        T result = work.run(conn);
        conn.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          conn.rollback();
        } catch (SQLException rollbackFailed) {
          e.addSuppressed(rollbackFailed);
        }
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    });
  }

  /**
   * Opens a connection, reporting an unreachable database with what was being attempted, and a refused login or a
   * missing database in the terms of whoever configured the login.
   */
  public Connection connect(String what) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw connectFailed(what, e);
    }
  }

  /** What a failure to connect (here, or in a library that connected on its own, as Flyway) means. */
  public RuntimeException connectFailed(String what, Throwable e) {
    RuntimeException failed = SqlErrors.connectFailed(what, e, login);
    return failed instanceof RefusedException refused ? refusals.apply(refused) : failed;
  }

  private RuntimeException translated(
      String what, Function<SQLException, RuntimeException> translate, SQLException e) {
    RuntimeException meaningful = translate == null ? null : translate.apply(e);
    if (meaningful != null) {
      return meaningful;
    }
    if (SqlErrors.is(e, SqlErrors.UNDEFINED_TABLE) && SqlErrors.serverMessage(e).contains("\"pangolin.")) {
      return new StoreException("Cannot " + what + ": the catalog database has no Pangolin schema; " + login.migrate(),
          SqlErrors.asCause(e));
    }
    if (SqlErrors.isConnectionLost(e)) {
      return new StoreUnavailableException(
          "Cannot " + what + ": lost the connection to the Pangolin catalog database (" + e.getMessage() + ")", e);
    }
    return new StoreException(
        "Cannot " + what + ": the catalog database answered SQLSTATE " + SqlErrors.state(e) + ": "
            + SqlErrors.serverMessage(e), SqlErrors.asCause(e));
  }

  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        throw new StoreException("Cannot close the catalog database pool", e);
      }
    }
  }
}
