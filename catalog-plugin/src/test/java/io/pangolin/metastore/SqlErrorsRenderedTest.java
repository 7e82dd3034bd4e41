package io.pangolin.metastore;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * A server error raised through pangolin serve's own pgjdbc, which this jar's relocated driver classes cannot read:
 * its words and hint are taken from the rendered message, without the context lines that name Pangolin's internals.
 */
class SqlErrorsRenderedTest {

  private static final SQLException RENDERED = new SQLException("ERROR: permission denied: principal p lacks READ on"
      + " table sales.orders\n  Hint: Ask for a grant.\n  Where: PL/pgSQL function refuse(text,text) line 3 at RAISE",
      "42501");

  @Test
  void theServersWordsAndHintWithoutItsContext() {
    assertThat(SqlErrors.serverMessage(new IllegalStateException("wrapped", RENDERED)))
        .isEqualTo("permission denied: principal p lacks READ on table sales.orders. Ask for a grant.");
    assertThat(SqlErrors.asCause(RENDERED))
        .hasMessage("permission denied: principal p lacks READ on table sales.orders. Ask for a grant.")
        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
  }

  @Test
  void theDriversOwnErrorsStayAsTheyAre() {
    SQLException refused = new SQLException("Connection to 127.0.0.1:1 refused.", "08001");
    assertThat(SqlErrors.serverMessage(refused)).isEqualTo("Connection to 127.0.0.1:1 refused.");
    assertThat(SqlErrors.asCause(refused)).isSameAs(refused);
    SQLException noState = new SQLException("ERROR: but no SQLSTATE");
    assertThat(SqlErrors.asCause(noState)).isSameAs(noState);
  }
}
