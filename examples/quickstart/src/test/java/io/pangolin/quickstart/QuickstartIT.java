package io.pangolin.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, run twice on one state folder: the second run finds the first run's table and
 * principals. Spark runs as the engine principal, whose commits the audit trail records under its name, and which is
 * refused the tenant administrator's work.
 */
class QuickstartIT {

  @Test
  void runsToTheEndAndTheTableSurvivesARestart() throws Exception {
    Path state = Path.of("target", "quickstart-state").toAbsolutePath();
    Path repo = Path.of(System.getProperty("pangolin.repo", "../..")).toAbsolutePath().normalize();

    String first = run(state, repo, true);
    assertThat(first).contains("created them", "Creating namespace lake.sales and table lake.sales.orders,"
            + " inserting rows 101..103", "    101 | ada | 12.50")
        .containsPattern("metadata\\.json: s3://warehouse/lake/lake/sales/orders-[0-9a-f]{32}/metadata/"
            + "\\d{5}-[0-9a-f-]+\\.metadata\\.json")
        .containsPattern("in bucket 'warehouse': yes, \\d+ bytes")
        .contains("2 rows then, 3 rows now")
        .contains("lake.sales.orders has 3 rows in a new session");
    assertRunsAsTheEnginePrincipal(first);

    String second = run(state, repo, false);
    assertThat(second).contains("found them from an earlier run")
        .contains("tables from earlier runs: lake.sales.orders\n")
        .contains("Run 2: inserting rows 201..203 into the existing table lake.sales.orders")
        .contains("    101 | ada | 12.50", "    201 | ada | 12.50")
        .doesNotContain("Creating namespace")
        .contains("lake.sales.orders has 3 rows")
        .contains("lake.sales.orders has 6 rows in a new session");
    assertRunsAsTheEnginePrincipal(second);
  }

  private static void assertRunsAsTheEnginePrincipal(String output) {
    assertThat(output).contains("Starting Spark as demo_etl with the catalog settings")
        // Making catalogs is the tenant administrator's job, whatever the engine principal was granted (CREATE).
        .contains("demo_etl creating a catalog: refused: Permission denied: principal 'demo_etl' may not create"
            + " catalog 'not_granted': making and changing a tenant's warehouses and catalogs is the job of its"
            + " administrators")
        .doesNotContain("CREATE privilege")
        .contains("demo_etl with a wrong password: refused: PostgreSQL refused the login of 'demo_etl' (SQLSTATE"
            + " 28P01: password authentication failed for user \"demo_etl\"); check the database user and password")
        .containsPattern("\\n    \\S+ demo_etl COMMIT relations sales\\.orders\\n")
        .doesNotContainPattern("(postgres|demo_admin) COMMIT relations");
  }

  private static String run(Path state, Path repo, boolean clean) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Quickstart(state, repo, new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(clean);
    String output = bytes.toString(StandardCharsets.UTF_8);
    System.out.print(output);
    return output;
  }
}
