package io.pangolin.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.pangolin.bench.count.CountingDataSource;
import io.pangolin.bench.count.Counts;
import io.pangolin.bench.count.S3RequestCounter;
import io.pangolin.bench.count.SqlCounter;
import io.pangolin.testing.TestCatalogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.PositionOutputStream;

/**
 * The floor under any catalog built on these two servers: the cheapest write to the object store (one 4 KB
 * object through S3FileIO, the same client and settings the catalogs use) and the cheapest atomic pointer move
 * (a single-row compare-and-swap UPDATE over a pooled connection, in a database of its own).
 */
public final class Floor implements AutoCloseable {

  private static final String BUCKET = "floor";
  private static final String SWAP = "UPDATE pointer SET version = ? WHERE id = 1 AND version = ?";

  private final S3FileIO io;
  private final HikariDataSource pool;
  private final SqlCounter counter = new SqlCounter();
  private final byte[] payload = new byte[4096];
  private long version;

  public Floor(Servers servers) {
    new Random(42).nextBytes(payload);
    servers.s3().createBucket(BUCKET);
    this.io = new S3FileIO();
    io.initialize(servers.s3FileIoProperties());

    String url = servers.newDatabase();
    try (Connection conn = Servers.admin(url); Statement stmt = conn.createStatement()) {
      stmt.execute("CREATE TABLE pointer (id int PRIMARY KEY, version bigint NOT NULL)");
      stmt.execute("INSERT INTO pointer VALUES (1, 0)");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot set up the compare-and-swap floor", e);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("floor");
    config.setDataSource(new CountingDataSource(TestCatalogs.dataSource(url), counter));
    config.setMaximumPoolSize(2);
    config.setMinimumIdle(1);
    this.pool = new HikariDataSource(config);
  }

  /** Writes one 4 KB object. */
  public void put(int iteration) {
    try (PositionOutputStream out = io.newOutputFile("s3://" + BUCKET + "/put/object-" + iteration).createOrOverwrite()) {
      out.write(payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves the pointer from the version it holds to the next, as a commit would. */
  public void compareAndSwap() {
    try (Connection conn = pool.getConnection(); PreparedStatement stmt = conn.prepareStatement(SWAP)) {
      stmt.setLong(1, version + 1);
      stmt.setLong(2, version);
      if (stmt.executeUpdate() != 1) {
        throw new IllegalStateException("The floor's pointer moved under it");
      }
      version++;
    } catch (SQLException e) {
      throw new IllegalStateException("Compare-and-swap failed", e);
    }
  }

  public Counts counts() {
    return counter.snapshot().plus(S3RequestCounter.snapshot());
  }

  @Override
  public void close() {
    pool.close();
    io.close();
  }
}
