package io.pangolin.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

/**
 * Physical connections to a real PostgreSQL server, with a fault injected into chosen statements: the
 * connection breaks either just before the statement reaches the server, or just after the server has applied
 * and committed it (the answer is lost). Only for injecting faults under the pool in tests.
 */
public final class FaultInjectingDataSource extends WrappingDataSource {

  /** Where a fault strikes. */
  public enum Fault {
    NONE,
    BEFORE_SEND,
    AFTER_APPLY
  }

  /** Decides, for each execution of a statement whose SQL matches, which fault to inject. */
  public interface Plan {
    Fault next(String sql);
  }

  private final Predicate<String> matches;
  private final Plan plan;
  private final AtomicInteger beforeSend = new AtomicInteger();
  private final AtomicInteger afterApply = new AtomicInteger();

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

  @Override
  protected Connection wrap(Connection conn) {
    InvocationHandler handler = (proxy, method, args) -> {
      Object result = invoke(conn, method, args);
      if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql
          && matches.test(sql)) {
        return statement(conn, (PreparedStatement) result, sql);
      }
      return result;
    };
    return (Connection) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private PreparedStatement statement(Connection conn, PreparedStatement stmt, String sql) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("executeUpdate") || method.getName().equals("execute")) {
        Fault fault = plan.next(sql);
        if (fault == Fault.BEFORE_SEND) {
          beforeSend.incrementAndGet();
          conn.close();
          throw new PSQLException("Injected: connection broke before the statement was sent",
              PSQLState.CONNECTION_FAILURE);
        }
        Object result = invoke(stmt, method, args);
        if (fault == Fault.AFTER_APPLY) {
          afterApply.incrementAndGet();
          conn.close();
          throw new PSQLException("Injected: connection broke after the statement was applied",
              PSQLState.CONNECTION_FAILURE);
        }
        return result;
      }
      return invoke(stmt, method, args);
    };
    return (PreparedStatement) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {PreparedStatement.class}, handler);
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
