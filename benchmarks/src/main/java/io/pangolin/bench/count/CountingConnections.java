package io.pangolin.bench.count;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Wraps a physical JDBC connection so that every call that makes the PostgreSQL driver wait for the server is
 * counted as one round trip. The rules follow what pgjdbc puts on the wire:
 * <ul>
 *   <li>each statement execution (execute, executeQuery, executeUpdate, executeBatch) is one, counted under
 *       the statement's first keyword (SELECT, UPDATE, ...); pgjdbc sends an implicit BEGIN together with the
 *       first statement of a transaction, so BEGIN is never a round trip of its own;</li>
 *   <li>COMMIT and ROLLBACK are one each, but only when a statement ran since the transaction began (pgjdbc
 *       sends nothing for an empty transaction); so is {@code setAutoCommit(true)} in the middle of one, which
 *       commits it. A statement string that ends with its own COMMIT or ROLLBACK (Pangolin's pointer swap is
 *       {@code UPDATE ...; COMMIT}, one round trip) ends the transaction on the server, and pgjdbc, which
 *       follows the server's transaction state, then sends nothing for {@code commit()};</li>
 *   <li>{@code isValid} (the pool's liveness check) is one, VALIDATE; {@code getTransactionIsolation} and
 *       {@code setTransactionIsolation} are one each, SESSION;</li>
 *   <li>each DatabaseMetaData call that returns a result set is one query, META (JdbcCatalog's start-up checks).</li>
 * </ul>
 * Opening the connection (TCP, start-up and authentication) is counted apart, as a connect. Everything else is
 * passed through unchanged.
 */
public final class CountingConnections {

  private CountingConnections() {}

  public static Connection wrap(Connection real, SqlCounter counter) {
    counter.connected();
    return proxy(Connection.class, new ConnectionHandler(real, counter));
  }

  private static final class ConnectionHandler implements InvocationHandler {
    private final Connection real;
    private final SqlCounter counter;
    // A statement ran since the transaction began, so COMMIT or ROLLBACK goes to the server.
    private volatile boolean dirty;
    private Connection self;

    ConnectionHandler(Connection real, SqlCounter counter) {
      this.real = real;
      this.counter = counter;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      self = (Connection) proxy;
      switch (method.getName()) {
        case "prepareStatement" -> {
          return proxy(PreparedStatement.class, new StatementHandler(call(method, args), this, (String) args[0]));
        }
        case "prepareCall" -> {
          return proxy(CallableStatement.class, new StatementHandler(call(method, args), this, (String) args[0]));
        }
        case "createStatement" -> {
          return proxy(Statement.class, new StatementHandler(call(method, args), this, null));
        }
        case "getMetaData" -> {
          return proxy(DatabaseMetaData.class, new MetaDataHandler(real.getMetaData(), this));
        }
        case "commit", "rollback" -> {
          if (!real.getAutoCommit() && dirty) {
            counter.roundTrip(method.getName().toUpperCase(Locale.ROOT));
          }
          dirty = false;
          return call(method, args);
        }
        case "setAutoCommit" -> {
          if (Boolean.TRUE.equals(args[0]) && !real.getAutoCommit() && dirty) {
            counter.roundTrip("COMMIT");
          }
          dirty = false;
          return call(method, args);
        }
        case "isValid" -> {
          counter.roundTrip("VALIDATE");
          return call(method, args);
        }
        case "getTransactionIsolation", "setTransactionIsolation" -> {
          counter.roundTrip("SESSION");
          return call(method, args);
        }
        default -> {
          return call(method, args);
        }
      }
    }

    void executed(String sql) throws SQLException {
      counter.roundTrip(keyword(sql));
      if (!real.getAutoCommit()) {
        dirty = !endsTransaction(sql);
      }
    }

    private Object call(Method method, Object[] args) throws Throwable {
      return delegate(real, method, args);
    }
  }

  private static final class StatementHandler implements InvocationHandler {
    private final Statement real;
    private final ConnectionHandler connection;
    private final String sql;

    StatementHandler(Object real, ConnectionHandler connection, String sql) {
      this.real = (Statement) real;
      this.connection = connection;
      this.sql = sql;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.startsWith("execute")) {
        String text = sql != null ? sql : (args != null && args.length > 0 && args[0] instanceof String s ? s : "");
        connection.executed(name.contains("Batch") ? "BATCH" : text);
      } else if (name.equals("getConnection")) {
        return connection.self;
      }
      return delegate(real, method, args);
    }
  }

  private static final class MetaDataHandler implements InvocationHandler {
    private final DatabaseMetaData real;
    private final ConnectionHandler connection;

    MetaDataHandler(DatabaseMetaData real, ConnectionHandler connection) {
      this.real = real;
      this.connection = connection;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("getConnection")) {
        return connection.self;
      }
      if (ResultSet.class.isAssignableFrom(method.getReturnType())) {
        connection.counter.roundTrip("META");
      }
      return delegate(real, method, args);
    }
  }

  /** The statement's first keyword: SELECT, INSERT, UPDATE, DELETE, WITH, CREATE, ... */
  static String keyword(String sql) {
    String s = sql.stripLeading();
    while (s.startsWith("--") || s.startsWith("/*")) {
      int end = s.startsWith("--") ? s.indexOf('\n') : s.indexOf("*/") + 1;
      s = end <= 0 ? "" : s.substring(end + 1).stripLeading();
    }
    int stop = 0;
    while (stop < s.length() && Character.isLetter(s.charAt(stop))) {
      stop++;
    }
    return stop == 0 ? "OTHER" : s.substring(0, stop).toUpperCase(Locale.ROOT);
  }

  /** Whether the statement string's last statement is COMMIT or ROLLBACK, which ends the transaction. */
  static boolean endsTransaction(String sql) {
    String s = sql.strip();
    while (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    String last = s.substring(s.lastIndexOf(';') + 1).strip().toUpperCase(Locale.ROOT);
    return last.equals("COMMIT") || last.equals("ROLLBACK");
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return (T) Proxy.newProxyInstance(CountingConnections.class.getClassLoader(), new Class<?>[] {type}, handler);
  }

  private static Object delegate(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
