package io.pangolin.docs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How the spark-sql stand-in splits what it is given into statements, as spark-sql does. */
class SparkSqlShellTest {

  @Test
  void splitsOnSemicolonsOutsideQuotesAndComments() {
    assertThat(SparkSqlShell.statements("""
        CREATE NAMESPACE lake.db;
        -- a comment; not a statement
        INSERT INTO lake.db.t VALUES (1, 'a;b'), (2, "c;d"), (3, 'it\\'s; fine');
        /* another; comment */ SELECT `odd;name` FROM lake.db.t;
        ;
        SELECT 1""")).containsExactly(
        "CREATE NAMESPACE lake.db",
        "INSERT INTO lake.db.t VALUES (1, 'a;b'), (2, \"c;d\"), (3, 'it\\'s; fine')",
        "SELECT `odd;name` FROM lake.db.t",
        "SELECT 1");
  }
}
