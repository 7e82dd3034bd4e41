package io.pangolin.metastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.pool.ReadSnapshots;
import io.pangolin.testing.TestCatalogs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a burst of reads begins and ends, seen from inside PostgreSQL: reads in one burst share one transaction
 * (one {@code now()}, the transaction's start), a repeated subject or {@code end()} begins a new one, and each
 * burst is read-only, repeatable-read and limited on the server.
 */
class ReadSnapshotsTest {

  private ScheduledExecutorService timer;
  private String url;
  private ReadSnapshots bursts;

  @BeforeEach
  void setUp() {
    timer = Executors.newSingleThreadScheduledExecutor();
    url = TestCatalogs.migratedDatabase();
    bursts = ReadSnapshots.on(Database.of(TestCatalogs.dataSource(url)), timer, 300, 600);
  }

  @AfterEach
  void tearDown() {
    bursts.close();
    timer.shutdownNow();
  }

  private String read(Object subject, String sql) {
    return bursts.read("read " + subject, subject, conn -> {
      try (Statement stmt = conn.createStatement(); ResultSet rs = stmt.executeQuery(sql)) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  private String began(Object subject) throws InterruptedException {
    Thread.sleep(2);
    return read(subject, "SELECT now()::text");
  }

  @Test
  void readsOfDistinctSubjectsShareATransactionUntilOneRepeatsOrTheBurstEnds() throws Exception {
    String first = began("a");
    assertThat(began("b")).isEqualTo(first);
    assertThat(began("c")).isEqualTo(first);
    String second = began("a");
    assertThat(second).as("a repeated subject begins a new burst").isNotEqualTo(first);
    assertThat(began("b")).isEqualTo(second);
    bursts.end();
    assertThat(began("c")).as("after end()").isNotEqualTo(second);
  }

  @Test
  void aBurstIsARepeatableReadReadOnlyTransactionTheServerEndsWhenLeftIdle() {
    assertThat(read("a", "SHOW transaction_isolation")).isEqualTo("repeatable read");
    assertThat(read("b", "SHOW transaction_read_only")).isEqualTo("on");
    assertThat(read("c", "SHOW idle_in_transaction_session_timeout"))
        .as("twice the gap or the longest burst, whichever is longer").isEqualTo("600ms");
  }

  @Test
  void threadsReadingAtOnceEachKeepTheirOwnBurstAndCloseLeavesNoTransactionOpen() throws Exception {
    // Bursts long enough that only repeated subjects end them, however slow the machine.
    bursts.close();
    bursts = ReadSnapshots.on(Database.of(TestCatalogs.dataSource(url)), timer, 10_000, 20_000);
    int threads = 8;
    List<Set<String>> transactions = new ArrayList<>();
    List<Thread> readers = new ArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    for (int t = 0; t < threads; t++) {
      Set<String> seen = ConcurrentHashMap.newKeySet();
      transactions.add(seen);
      Thread reader = new Thread(() -> {
        try {
          for (int i = 0; i < 60; i++) {
            // Ten reads per burst: subjects 0..9 over and over, so every tenth read begins a new one.
            seen.add(read(i % 10, "SELECT pg_backend_pid() || '@' || now()"));
          }
        } catch (Throwable e) {
          failed.set(e);
        }
      });
      readers.add(reader);
      reader.start();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(failed.get()).isNull();
    assertThat(transactions).allSatisfy(seen -> assertThat(seen).hasSize(6));
    Set<String> all = new HashSet<>();
    transactions.forEach(all::addAll);
    assertThat(all).as("no two threads ever shared a burst").hasSize(threads * 6);
    bursts.close();
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND state = 'idle in transaction'")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero();
    }
  }

  @Test
  void aFailedReadEndsItsBurstAndTheNextReadBeginsAnother() throws Exception {
    String first = began("a");
    assertThatThrownBy(() -> read("b", "SELECT 1 / 0")).isInstanceOf(StoreException.class)
        .hasMessageContaining("read b");
    assertThat(began("c")).isNotEqualTo(first);
    assertThatThrownBy(() -> read("d", "CREATE TABLE written_in_a_burst (id int)"))
        .hasMessageContaining("Cannot read d").hasMessageContaining("read-only transaction");
  }
}
