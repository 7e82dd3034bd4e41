package io.pangolin.bench.count;

import io.pangolin.testing.WrappingDataSource;
import java.sql.Connection;
import javax.sql.DataSource;

/** Physical connections from {@code real}, each counted by {@link CountingConnections}. Goes under a pool. */
public final class CountingDataSource extends WrappingDataSource {

  private final SqlCounter counter;

  public CountingDataSource(DataSource real, SqlCounter counter) {
    super(real);
    this.counter = counter;
  }

  @Override
  protected Connection wrap(Connection connection) {
    return CountingConnections.wrap(connection, counter);
  }
}
