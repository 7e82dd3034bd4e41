package io.pangolin.bench.count;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/** The round-trip rules of {@link CountingConnections} against a real server and driver. */
class CountingConnectionsTest {

  @Test
  void aStatementThatCommitsItselfLeavesNothingForCommitToSend() throws Exception {
    SqlCounter counter = new SqlCounter();
    try (Connection conn = CountingConnections.wrap(
        TestCatalogs.dataSource(TestPostgres.get().newDatabase()).getConnection(), counter)) {
      conn.setAutoCommit(false);
      try (PreparedStatement begin = conn.prepareStatement("SELECT pg_current_xact_id()::text");
          PreparedStatement swap = conn.prepareStatement("SELECT 1; COMMIT")) {
        begin.executeQuery().close();
        swap.execute();
        conn.commit();
        begin.executeQuery().close();
        conn.commit();
      }
      conn.setAutoCommit(true);
    }
    assertThat(counter.snapshot().sql()).containsEntry("SELECT", 3L).containsEntry("COMMIT", 1L);
  }

  @Test
  void onlyALastCommitOrRollbackEndsTheTransaction() {
    assertThat(CountingConnections.endsTransaction("UPDATE t SET a = 1;\n COMMIT\n")).isTrue();
    assertThat(CountingConnections.endsTransaction("SELECT 1; rollback;")).isTrue();
    assertThat(CountingConnections.endsTransaction("COMMIT; SELECT 1")).isFalse();
    assertThat(CountingConnections.endsTransaction("UPDATE t SET note = 'COMMIT'")).isFalse();
  }
}
