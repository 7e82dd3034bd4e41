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
    assertReadsThroughTheEndpoint(first);
    assertThat(first).contains("    signed read: 103 | ada | 30.25").doesNotContain("signed read: 201");

    String second = run(state, repo, false);
    assertThat(second).contains("found them from an earlier run")
        .contains("tables from earlier runs: lake.sales.orders\n")
        .contains("Run 2: inserting rows 201..203 into the existing table lake.sales.orders")
        .contains("    101 | ada | 12.50", "    201 | ada | 12.50")
        .doesNotContain("Creating namespace")
        .contains("lake.sales.orders has 3 rows")
        .contains("lake.sales.orders has 6 rows in a new session");
    assertRunsAsTheEnginePrincipal(second);
    assertReadsThroughTheEndpoint(second);
    assertThat(second).contains("    signed read: 103 | ada | 30.25", "    signed read: 203 | ada | 30.25");
  }

  /**
   * The REST part: pangolin serve over the same database; the reader's client, holding no key, reads table
   * sales.orders through signed requests, and the signer refuses it a file of table hr.salaries.
   */
  private static void assertReadsThroughTheEndpoint(String output) {
    assertThat(output).containsPattern("REST API on http://127\\.0\\.0\\.1:\\d+")
        .contains("A REST client as demo_reader: Iceberg's RESTCatalog with uri, credential and warehouse demo/lake")
        .contains("    loadTable sales.orders: s3.remote-signing-enabled=true, no S3 key in the client")
        .contains("    signed read: 101 | ada | 12.50", "    signed read: 102 | bob | 7.00")
        .containsPattern("lake\\.hr\\.salaries's metadata\\.json through the same FileIO: refused: .*demo_reader")
        .doesNotContain("WITH AN S3 KEY");
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
