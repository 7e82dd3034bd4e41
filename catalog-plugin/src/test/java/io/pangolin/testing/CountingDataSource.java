package io.pangolin.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Counts the statements prepared or created on its connections: one per round trip of Pangolin's work. */
public final class CountingDataSource extends WrappingDataSource {

  private final AtomicInteger statements = new AtomicInteger();

  public CountingDataSource(DataSource real) {
    super(real);
  }

  public int statements() {
    return statements.get();
  }

  @Override
  protected Connection wrap(Connection conn) {
    return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (method.getName().equals("prepareStatement") || method.getName().equals("createStatement")) {
            statements.incrementAndGet();
          }
          try {
            return method.invoke(conn, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
