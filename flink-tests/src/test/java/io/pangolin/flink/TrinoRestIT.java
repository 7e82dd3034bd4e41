package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trino 476 with {@code iceberg.catalog.type=rest} against {@code pangolin serve}, configured with
 * examples/trino/pangolin-rest.properties: catalog {@code rest} logs in as a principal holding READ, WRITE and
 * CREATE on catalog lake, catalog {@code rest_reader} as one holding READ only. Trino never touches the database;
 * what it commits is Pangolin's pointer, seen by the plugin and by Iceberg's own REST client.
 *
 * <p>Trino's native S3 file system has no remote signer, so Trino reads and writes table files with the warehouse's
 * S3 key from its catalog file (on AWS it could ask for the STS credentials the endpoint vends); the endpoint still
 * decides every commit. The test JVM's wrong AWS environment is inherited by Trino and the endpoint on purpose.
 * One Trino server for this class: SharedTrino's catalogs are fixed when it starts, before any endpoint runs.
 */
class TrinoRestIT {

  /** The database checks the passwords of this group's members; it trusts other loopback logins. */
  private static final String PASSWORD_CHECKED = "trino_rest_password_checked";
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  private static LakeEnv lake;
  private static PangolinCatalog pangolin;
  private static ServeProcess serve;
  private static TrinoServer trino;
  private static String writer;
  private static String reader;

  @BeforeAll
  static void start() throws Exception {
    lake = LakeEnv.get();
    pangolin = lake.pangolin();
    TestPostgres.get().checkPasswordsOf(PASSWORD_CHECKED);
    String endpointLogin = "trino_rest_serve_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    lake.superuser("CREATE ROLE " + endpointLogin + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE pangolin_endpoint, "
        + PASSWORD_CHECKED);
    writer = passwordChecked(lake.principal("trino_writer", PASSWORD, List.of("READ", "WRITE", "CREATE")));
    reader = passwordChecked(lake.principal("trino_reader", PASSWORD, List.of("READ")));
    serve = ServeProcess.start(Path.of("target/serve-trino").toAbsolutePath(), lake.dbUrl(), endpointLogin, PASSWORD,
        TestKeys.masterKeyFile());

    // The example takes its values from the server's environment (${ENV:...}); it has no hand-filled placeholders.
    String example = Examples.read("trino/pangolin-rest.properties");
    assertThat(Examples.filled("trino/pangolin-rest.properties", Map.of())).isEqualTo(example);
    Map<String, String> environment = new HashMap<>(environment("", writer));
    environment.putAll(environment("READER_", reader));
    trino = TrinoServer.start(Path.of("target/trino-rest").toAbsolutePath(), Map.of(
        "rest.properties", example,
        "rest_reader.properties", example.replace("${ENV:", "${ENV:READER_")), environment);
  }

  @AfterAll
  static void stop() throws Exception {
    if (trino != null) {
      trino.close();
    }
    if (serve != null) {
      serve.close();
    }
    if (pangolin != null) {
      pangolin.close();
    }
  }

  @Test
  void trinoCreatesWritesAndReadsATableThroughTheEndpoint() throws Exception {
    trino.update("CREATE SCHEMA rest.from_rest");
    trino.update("CREATE TABLE rest.from_rest.readings (sensor VARCHAR, reading DOUBLE)");
    trino.update("INSERT INTO rest.from_rest.readings VALUES ('a', 1.5), ('b', 2.5)");

    assertThat(trino.rows("SHOW TABLES FROM rest.from_rest")).containsExactly(List.of("readings"));
    assertThat(trino.rows("SELECT sensor, reading FROM rest.from_rest.readings ORDER BY sensor"))
        .containsExactly(List.of("a", 1.5), List.of("b", 2.5));

    // The pointer is Pangolin's, in PostgreSQL: the plugin loads the table the endpoint placed in the warehouse.
    assertThat(pangolin.listNamespaces()).contains(Namespace.of("from_rest"));
    Table table = pangolin.loadTable(LakeEnv.id("from_rest", "readings"));
    assertThat(table.location()).startsWith(lake.warehouseRoot() + "/" + LakeEnv.CATALOG + "/from_rest/readings");
    assertThat(table.currentSnapshot().summary()).containsEntry("added-records", "2");
    String metadata = ((HasTableOperations) table).operations().current().metadataFileLocation();
    String bucketRoot = "s3://" + LakeEnv.BUCKET + "/";
    assertThat(lake.keys(table.location().substring(bucketRoot.length()) + "/"))
        .contains(metadata.substring(bucketRoot.length()));
    assertThat(TestTables.currentFiles(table))
        .isNotEmpty()
        .allSatisfy(path -> assertThat(path).startsWith(table.location() + "/data/"));
    // Every change was made as the principal Trino logged in as.
    assertThat(lake.audit("from_rest.readings")).isNotEmpty().allMatch(row -> row.endsWith(" by " + writer));

    // Iceberg's own REST client, as another principal, sees the same table and snapshot.
    try (RESTCatalog rest = restCatalog(reader)) {
      Table overRest = rest.loadTable(TableIdentifier.of("from_rest", "readings"));
      assertThat(overRest.currentSnapshot().snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
      assertThat(((HasTableOperations) overRest).operations().current().metadataFileLocation()).isEqualTo(metadata);
    }
  }

  @Test
  void aReadOnlyPrincipalSelectsButItsInsertIsRefused() throws Exception {
    trino.update("CREATE SCHEMA rest.read_only");
    trino.update("CREATE TABLE rest.read_only.events (id BIGINT, note VARCHAR)");
    trino.update("INSERT INTO rest.read_only.events VALUES (1, 'by the writer')");
    long snapshot = pangolin.loadTable(LakeEnv.id("read_only", "events")).currentSnapshot().snapshotId();

    assertThat(trino.rows("SELECT id, note FROM rest_reader.read_only.events"))
        .containsExactly(List.of(1L, "by the writer"));

    // Trino's own error (the cause), not the server log the test helper appends to it.
    assertThatThrownBy(() -> trino.update("INSERT INTO rest_reader.read_only.events VALUES (2, 'by the reader')"))
        .cause()
        .hasMessageContaining(reader)
        .hasMessageContaining("WRITE");
    assertThat(pangolin.loadTable(LakeEnv.id("read_only", "events")).currentSnapshot().snapshotId())
        .isEqualTo(snapshot);
    assertThat(trino.rows("SELECT count(*) FROM rest_reader.read_only.events")).containsExactly(List.of(1L));
  }

  /** Adds a principal to the group whose passwords the database checks, so the token route proves the password. */
  private static String passwordChecked(String principal) {
    lake.superuser("GRANT " + PASSWORD_CHECKED + " TO " + principal);
    return principal;
  }

  /** The variables examples/trino/pangolin-rest.properties reads, each name with {@code prefix} in front. */
  private static Map<String, String> environment(String prefix, String principal) {
    return Map.of(
        prefix + "PANGOLIN_REST_URI", serve.apiUri().toString(),
        prefix + "PANGOLIN_WAREHOUSE", LakeEnv.TENANT + "/" + LakeEnv.CATALOG,
        prefix + "PANGOLIN_PRINCIPAL", principal,
        prefix + "PANGOLIN_PRINCIPAL_PASSWORD", PASSWORD,
        prefix + "WAREHOUSE_S3_ENDPOINT", lake.s3().endpoint(),
        prefix + "WAREHOUSE_S3_ACCESS_KEY", LakeEnv.ACCESS_KEY,
        prefix + "WAREHOUSE_S3_SECRET_KEY", LakeEnv.SECRET_KEY);
  }

  private static RESTCatalog restCatalog(String principal) {
    RESTCatalog catalog = new RESTCatalog();
    catalog.initialize("pangolin-rest", Map.of(
        "uri", serve.apiUri().toString(),
        "warehouse", LakeEnv.TENANT + "/" + LakeEnv.CATALOG,
        "credential", principal + ":" + PASSWORD,
        "oauth2-server-uri", serve.apiUri() + "/v1/oauth/tokens",
        "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
        "s3.endpoint", lake.s3().endpoint(),
        "s3.path-style-access", "true",
        "client.region", "us-east-1",
        "s3.access-key-id", LakeEnv.ACCESS_KEY,
        "s3.secret-access-key", LakeEnv.SECRET_KEY));
    return catalog;
  }
}
