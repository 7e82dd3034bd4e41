package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** 'schema migrate' against a server older than Pangolin supports, as an operator would run it. */
class UnsupportedPostgresCliTest {

  @Test
  void migrateOnPostgres14ExitsWithBadInputAndSaysWhatToDo() {
    TestPostgres server = TestPostgres.version(14);
    String url = server.newDatabase();
    Map<String, String> env = Map.of("PANGOLIN_DB_URI", url, "PANGOLIN_DB_USER", server.user(),
        "PANGOLIN_DB_PASSWORD", server.password(), "PANGOLIN_MASTER_KEY", TestKeys.MASTER_KEY);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int exit = PangolinCli.run(new String[] {"schema", "migrate"}, env, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true), new PrintStream(err, true));

    assertThat(exit).as("the server the connection settings name is the bad input")
        .isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pangolin: PostgreSQL 14."
        + server.serverVersionNum() % 10000 + " is not supported: Pangolin needs PostgreSQL 15 or later (tested on"
        + " 15 to 18; its row-level security views use security_invoker, added in 15), so upgrade the server and"
        + " migrate again; nothing was changed in the database." + System.lineSeparator());
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

    ByteArrayOutputStream version = new ByteArrayOutputStream();
    PangolinCli.run(new String[] {"schema", "version"}, env, new ByteArrayInputStream(new byte[0]),
        new PrintStream(version, true), new PrintStream(new ByteArrayOutputStream(), true));
    assertThat(version.toString(StandardCharsets.UTF_8)).as("nothing was migrated").contains("database: none");
  }
}
