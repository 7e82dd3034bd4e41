package io.pangolin.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Physical connections to a real PostgreSQL server, with a fault injected into chosen statements: the
 * connection breaks just before the statement reaches the server, just after the server has run it (the answer
 * is lost), or while the server is still running it (the answer is lost and the statement goes on). The whole
 * server can also be made unreachable. Only for injecting faults under the pool in tests.
 */
public final class FaultInjectingDataSource extends WrappingDataSource {

  /** Where a fault strikes. */
  public enum Fault {
    NONE,
    BEFORE_SEND,
    AFTER_APPLY,
    /** The client gives up at once while the server goes on running the statement to its end. */
    LOST_WHILE_RUNNING
  }

  /** Decides, for each execution of a statement whose SQL matches, which fault to inject. */
  public interface Plan {
    Fault next(String sql);
  }

  private final Predicate<String> matches;
  private final Plan plan;
  private final AtomicInteger beforeSend = new AtomicInteger();
  private final AtomicInteger afterApply = new AtomicInteger();
  private final AtomicInteger whileRunning = new AtomicInteger();
  private final AtomicBoolean down = new AtomicBoolean();

  public FaultInjectingDataSource(DataSource real, Predicate<String> matches, Plan plan) {
    super(real);
    this.matches = matches;
    this.plan = plan;
  }

  public int faultsBeforeSend() {
    return beforeSend.get();
  }

  public int faultsAfterApply() {
    return afterApply.get();
  }

  public int faultsWhileRunning() {
    return whileRunning.get();
  }

  /** From now on (or again, with false) the server cannot be reached: no connection opens, no statement runs. */
  public void setDown(boolean unreachable) {
    down.set(unreachable);
  }

  @Override
  protected Connection wrap(Connection conn) {
    AtomicBoolean broken = new AtomicBoolean(down.get());
    if (broken.get()) {
      closeQuietly(conn);
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (broken.get()) {
        return brokenConnection(conn, method);
      }
      Object result = invoke(conn, method, args);
      if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql) {
        return statement(conn, broken, (PreparedStatement) result, matches.test(sql) ? sql : null);
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  /** A connection whose socket is gone: closed as far as the client can tell, every other call fails. */
  private static Object brokenConnection(Connection conn, Method method) throws SQLException {
    switch (method.getName()) {
      case "isClosed" -> {
        return true;
      }
      case "close", "abort" -> {
        return null;
      }
      default -> throw lost("Injected: the connection is broken");
    }
  }

  private PreparedStatement statement(Connection conn, AtomicBoolean broken, PreparedStatement stmt, String sql) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (broken.get() && method.getName().equals("close")) {
        // The client's side of a broken connection; a statement still running on the server is left alone.
        return null;
      }
      if (!method.getName().startsWith("execute")) {
        return invoke(stmt, method, args);
      }
      Fault fault = sql == null ? Fault.NONE : plan.next(sql);
      if (down.get() && fault == Fault.NONE) {
        breakConnection(conn, broken);
        throw lost("Injected: the server is unreachable");
      }
      switch (fault) {
        case BEFORE_SEND -> {
          beforeSend.incrementAndGet();
          breakConnection(conn, broken);
          throw lost("Injected: connection broke before the statement was sent");
        }
        case AFTER_APPLY -> {
          invoke(stmt, method, args);
          afterApply.incrementAndGet();
          breakConnection(conn, broken);
          throw lost("Injected: connection broke after the statement was applied");
        }
        case LOST_WHILE_RUNNING -> {
          whileRunning.incrementAndGet();
          broken.set(true);
          CompletableFuture.runAsync(() -> {
            try {
              invoke(stmt, method, args);
            } catch (Throwable ignored) {
              // Whatever the server answered, the client had already given up.
            } finally {
              closeQuietly(conn);
            }
          });
          throw lost("Injected: the answer was lost while the server was running the statement");
        }
        default -> {
          return invoke(stmt, method, args);
        }
      }
    };
    return (PreparedStatement) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
  }

  private static void breakConnection(Connection conn, AtomicBoolean broken) {
    broken.set(true);
    closeQuietly(conn);
  }

  private static void closeQuietly(Connection conn) {
    try {
      conn.close();
    } catch (SQLException ignored) {
      // Already gone.
    }
  }

  private static PSQLException lost(String message) {
    return new PSQLException(message, PSQLState.CONNECTION_FAILURE);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
