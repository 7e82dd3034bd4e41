package io.pangolin.metastore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/** What a PostgreSQL error means for Pangolin, decided from its SQLSTATE in this one place. */
public final class SqlErrors {

  public static final String UNIQUE_VIOLATION = "23505";
  public static final String FOREIGN_KEY_VIOLATION = "23503";
  public static final String NOT_NULL_VIOLATION = "23502";
  public static final String CHECK_VIOLATION = "23514";
  public static final String UNDEFINED_TABLE = "42P01";
  public static final String QUERY_CANCELED = "57014";
  public static final String LOCK_NOT_AVAILABLE = "55P03";
  public static final String DEADLOCK_DETECTED = "40P01";
  /** The database named in the URL does not exist. */
  public static final String INVALID_CATALOG_NAME = "3D000";
  /** Refused by a privilege, a row-level security policy or one of Pangolin's access-control triggers. */
  public static final String INSUFFICIENT_PRIVILEGE = "42501";
  /** A role named in a statement does not exist. */
  public static final String UNDEFINED_OBJECT = "42704";
  /** CREATE ROLE of a name that is taken. */
  public static final String DUPLICATE_OBJECT = "42710";
  /** DROP ROLE of a role that still owns objects or holds privileges. */
  public static final String DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
  public static final String NOT_IN_PREREQUISITE_STATE = "55000";
  public static final String CARDINALITY_VIOLATION = "21000";
  /** A write on a tag, which is immutable. */
  public static final String READ_ONLY_REF = "25006";
  /** A branch or tag (or the ref a command names) that does not exist. */
  public static final String NO_DATA_FOUND = "P0002";
  public static final String INVALID_PARAMETER_VALUE = "22023";
  /** The driver's own: the server rejected the connection attempt (pgjdbc: no password for a password login). */
  private static final String CONNECTION_REJECTED = "08004";

  /** A merge whose parent moved a pointer after the merge was planned. */
  public static final String SERIALIZATION_FAILURE = "40001";

  private static final Pattern RENDERED_SEVERITY = Pattern.compile("(ERROR|FATAL|PANIC): ");

  private SqlErrors() {}

  /** The SQLSTATE of the first SQL exception in the chain (Flyway's, Hikari's and Pangolin's wrap them), or "". */
  public static String state(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return "";
  }

  public static boolean is(SQLException e, String sqlState) {
    return sqlState.equals(state(e));
  }

  /**
   * Class 28: the server answered and refused the login (unknown role, wrong password, pg_hba.conf). Also the
   * driver's 08004 when the server asked for a password and none was given: the same mistake, caught one step
   * earlier by the driver.
   */
  public static boolean isLoginRefused(Throwable e) {
    return state(e).startsWith("28") || isPasswordMissing(e);
  }

  private static boolean isPasswordMissing(Throwable e) {
    return state(e).equals(CONNECTION_REJECTED) && serverMessage(e).contains("no password was provided");
  }

  /**
   * The server answered a new connection and refused it for good: the login (class 28) or the database named
   * (3D000). Trying again cannot help, so no pool retries it.
   */
  public static boolean isRefusedAtConnect(Throwable e) {
    return isLoginRefused(e) || state(e).equals(INVALID_CATALOG_NAME);
  }

  /** A connection that could not be opened (class 08) or was refused ({@link #isRefusedAtConnect}). */
  public static boolean isConnectFailure(Throwable e) {
    return state(e).startsWith("08") || isRefusedAtConnect(e);
  }

  /**
   * A connection that could not be opened, as what it means to whoever configured {@code login}: a refused login
   * ({@link LoginRefusedException}, which the engine's catalog turns into Iceberg's {@code NotAuthorizedException}), a
   * database that does not exist ({@link NoSuchObjectException}), or an unavailable database. Names the user and
   * where the credentials come from, never the password.
   */
  public static RuntimeException connectFailed(String what, Throwable e, DatabaseLogin login) {
    String state = state(e);
    String server = serverMessage(e);
    if (isPasswordMissing(e)) {
      return new LoginRefusedException(String.format("PostgreSQL asked for the password of '%s' and none was given;"
          + " check %s", login.userOrDefault(), login.credentials()), asCause(e));
    }
    if (isLoginRefused(e)) {
      String message = String.format("PostgreSQL refused the login of '%s' (SQLSTATE %s: %s); check %s",
          login.userOrDefault(), state, server, login.credentials());
      return new LoginRefusedException(message, asCause(e));
    }
    if (state.equals(INVALID_CATALOG_NAME)) {
      return new NoSuchObjectException(String.format("Database '%1$s' does not exist on %2$s; create it (createdb"
          + " %1$s, or CREATE DATABASE %1$s as a superuser) and %3$s", login.database(), login.server(),
          login.migrate()));
    }
    return new StoreUnavailableException(
        "Cannot " + what + ": the Pangolin catalog database is unavailable (" + server + ")", asCause(e));
  }

  /**
   * The connection broke or the server went away, so a statement that was sent may or may not have been applied.
   * Class 08 is connection exceptions; 57P01-57P03 are the server shutting down or refusing; pgjdbc reports a
   * socket timeout as 08006.
   */
  public static boolean isConnectionLost(SQLException e) {
    String state = state(e);
    return state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || e instanceof SQLRecoverableException
        || e instanceof SQLTransientConnectionException
        || e instanceof SQLNonTransientConnectionException;
  }

  /**
   * The server ended the statement and rolled its transaction back, and said so on a working connection: the
   * statement or lock timeout Pangolin sets on its own transactions (57014, 55P03), or a deadlock (40P01). Such a
   * statement certainly changed nothing.
   */
  public static boolean isTransactionAborted(SQLException e) {
    String state = state(e);
    return state.equals(QUERY_CANCELED) || state.equals(LOCK_NOT_AVAILABLE) || state.equals(DEADLOCK_DETECTED);
  }

  /**
   * The principal a connection acts as: the login it was opened with, which the driver keeps, so asking costs no
   * round trip.
   */
  public static String principal(Connection conn) {
    try {
      return conn.getMetaData().getUserName();
    } catch (SQLException e) {
      return "(unknown)";
    }
  }

  /**
   * A refusal by the database's access control, naming the principal, the privilege the action needs and the action
   * with its object; null for any other error. Pangolin's own exception: {@link Database} hands it to its callers in
   * the type they speak.
   */
  public static RefusedException forbidden(SQLException e, String principal, String what) {
    if (!is(e, INSUFFICIENT_PRIVILEGE)) {
      return null;
    }
    String message = RefusalMessages.refusal(principal, what, String.valueOf(e.getMessage()), serverMessage(e));
    return new RefusedException(message, asCause(e));
  }

  /** Whether this exception, or one it wraps, is a refusal by the database's access control. */
  public static boolean isRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && INSUFFICIENT_PRIVILEGE.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /**
   * As {@link #forbidden}, and also a write on a tag (which the database refuses as a read-only ref), with the
   * database's words and hint; null for any other error.
   */
  public static RefusedException refused(SQLException e, String principal, String what) {
    RefusedException forbidden = forbidden(e, principal, what);
    if (forbidden != null || !is(e, READ_ONLY_REF)) {
      return forbidden;
    }
    return new RefusedException("Cannot " + what + ": " + serverMessage(e), asCause(e));
  }

  /**
   * What PostgreSQL said, with its hint: the message a Pangolin database function raised for the user, without
   * the driver's decoration (position, context). Public, as the translators below, for the stores of every job
   * of the metastore (its sub-packages).
   */
  public static String serverMessage(Throwable e) {
    ServerErrorMessage server = serverError(e);
    if (server != null) {
      return server.getMessage() + (server.getHint() != null ? ". " + server.getHint() : "");
    }
    // No server message (the driver's own error, as a refused TCP connection): the first SQL exception's words, not
    // those of a library's wrapper (Flyway's block of SQL State, Error Code and Message lines).
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql) {
        return rendered(sql).orElse(sql.getMessage());
      }
    }
    return e.getMessage();
  }

  /**
   * A server error as another copy of pgjdbc renders it into its message ("ERROR: message", then indented Detail,
   * Hint and Where lines): pangolin serve's own driver, whose exceptions this jar's relocated driver classes cannot
   * read. The message with its hint, as {@link #serverMessage} gives it; empty for any other message.
   */
  static Optional<String> rendered(SQLException e) {
    String message = e.getMessage();
    if (e instanceof PSQLException || e.getSQLState() == null || message == null
        || !RENDERED_SEVERITY.matcher(message).lookingAt()) {
      return Optional.empty();
    }
    String[] lines = message.split("\n");
    StringBuilder said = new StringBuilder(lines[0].substring(lines[0].indexOf(": ") + 2));
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].startsWith("  Hint: ")) {
        said.append(". ").append(lines[i].substring("  Hint: ".length()));
      }
    }
    return Optional.of(said.toString());
  }

  /** What the server said, as pgjdbc parsed it, from the first of the chain's exceptions that has it; or null. */
  private static ServerErrorMessage serverError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
        return psql.getServerErrorMessage();
      }
    }
    return null;
  }

  /**
   * The exception to keep as the cause of Pangolin's own: the server's message, hint and SQLSTATE, with the stack
   * where it was caught, but without the context pgjdbc renders into its message ("Where: PL/pgSQL function ...
   * line 3 at RAISE"), which names Pangolin's internals and reaches users in every printed stack trace.
   */
  public static Throwable asCause(Throwable e) {
    if (e instanceof SQLException sql && rendered(sql).isPresent()) {
      SQLException plain = new SQLException(rendered(sql).get(), sql.getSQLState());
      plain.setStackTrace(sql.getStackTrace());
      return plain;
    }
    if (!(e instanceof PSQLException psql) || psql.getServerErrorMessage() == null) {
      return e;
    }
    SQLException plain = new SQLException(serverMessage(psql), psql.getSQLState());
    plain.setStackTrace(psql.getStackTrace());
    return plain;
  }

  /** The server's detail lines (what a DROP ROLE found still depending on the role), or "" when it gave none. */
  public static String serverDetail(Throwable e) {
    ServerErrorMessage server = serverError(e);
    return server != null && server.getDetail() != null ? server.getDetail() : "";
  }

  /** The constraint the server named in its error (a violated unique index, a check), or "" when it named none. */
  public static String constraint(SQLException e) {
    ServerErrorMessage server = serverError(e);
    return server != null && server.getConstraint() != null ? server.getConstraint() : "";
  }

  /**
   * Translates a taken or invalid name of a tenant, warehouse, catalog or ref; null for any other error. Public for
   * the refs' store.
   */
  public static Function<SQLException, RuntimeException> nameTaken(String kind, String name) {
    return e -> {
      if (is(e, UNIQUE_VIOLATION)) {
        return new ObjectExistsException(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " '" + name
            + "' already exists");
      }
      if (is(e, CHECK_VIOLATION) && (e.getMessage().contains("JDBC-catalog name")
          || e.getMessage().contains("Cannot name a tenant"))) {
        // The database's words name the object and the fix (R__46: JDBC-catalog names belong to their tenant).
        return new IllegalArgumentException("Cannot create " + kind + " '" + name + "': " + serverMessage(e));
      }
      if (is(e, CHECK_VIOLATION) && e.getMessage().contains("object_name")) {
        return new IllegalArgumentException("Invalid " + kind + " name '" + name + "': use 1 to 63 letters, digits,"
            + " '_' or '-', starting with a letter or digit");
      }
      return null;
    };
  }

  /**
   * Translates the database's refusal of a storage location (R__45: one that overlaps another tenant's storage, a
   * {@code file:} location outside the platform's file root, an invalid one) into its own message and fix; null for
   * any other error.
   */
  public static Function<SQLException, RuntimeException> storageRefused() {
    return e -> is(e, CHECK_VIOLATION) && !String.valueOf(e.getMessage()).contains("object_name")
        || is(e, INVALID_PARAMETER_VALUE) ? new IllegalArgumentException(serverMessage(e)) : null;
  }

  /**
   * Translates a row still referenced by others into {@code message}; null for any other error. Public for the
   * stores of the metastore's sub-packages.
   */
  public static Function<SQLException, RuntimeException> inUse(String message) {
    return e -> is(e, FOREIGN_KEY_VIOLATION) ? new ObjectInUseException(message) : null;
  }

  /**
   * The database's message without the driver's "ERROR: " prefix and position lines. Public for the stores of the
   * metastore's sub-packages.
   */
  public static String serverText(SQLException e) {
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    message = newline < 0 ? message : message.substring(0, newline);
    return message.startsWith("ERROR: ") ? message.substring("ERROR: ".length()) : message;
  }
}
