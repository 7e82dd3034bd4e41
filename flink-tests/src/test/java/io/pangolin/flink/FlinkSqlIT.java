package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestPostgres;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.types.Row;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flink SQL on the Pangolin catalog registered from examples/flink/create-catalog.sql: namespaces and tables
 * created by Flink are Pangolin's, batch and checkpointed streaming inserts land in the warehouse's own bucket,
 * and the catalog instances Flink creates for each job give their connections back.
 */
class FlinkSqlIT {

  /** Pangolin sessions the test tolerates at once: the session catalog's pool (4) and one job's. */
  private static final int MAX_SESSIONS = 8;

  private static LakeEnv lake;
  private static FlinkSql batch;
  private static PangolinCatalog pangolin;

  @BeforeAll
  static void start() {
    lake = LakeEnv.get();
    batch = FlinkSql.batch(lake);
    pangolin = lake.pangolin();
  }

  @AfterAll
  static void stop() throws Exception {
    batch.close();
    pangolin.close();
  }

  @Test
  void batchInsertLandsInTheWarehouseAndReadsBack() {
    batch.execute("CREATE DATABASE lake.sales");
    batch.execute("CREATE TABLE lake.sales.orders (id BIGINT, customer STRING, amount DECIMAL(10, 2))");
    batch.execute("INSERT INTO lake.sales.orders VALUES (1, 'ada', 12.50), (2, 'grace', 7.25), (3, 'edsger', 3.00)");
    batch.execute("INSERT INTO lake.sales.orders VALUES (4, 'barbara', 99.99)");

    List<Row> rows = batch.rows("SELECT id, customer, amount FROM lake.sales.orders ORDER BY id");
    assertThat(rows).extracting(r -> r.getField(0), r -> r.getField(1), r -> r.getField(2)).containsExactly(
        tuple(1L, "ada", new BigDecimal("12.50")),
        tuple(2L, "grace", new BigDecimal("7.25")),
        tuple(3L, "edsger", new BigDecimal("3.00")),
        tuple(4L, "barbara", new BigDecimal("99.99")));

    assertThat(pangolin.listNamespaces()).contains(Namespace.of("sales"));
    Table table = pangolin.loadTable(LakeEnv.id("sales", "orders"));
    assertThat(snapshots(table)).hasSize(2);
    String prefix = keyPrefix(table);
    List<String> keys = lake.keys(prefix);
    assertThat(keys).as("objects under %s", prefix)
        .anyMatch(k -> k.startsWith(prefix + "metadata/") && k.endsWith(".metadata.json"))
        .anyMatch(k -> k.startsWith(prefix + "metadata/") && k.endsWith(".avro"))
        .anyMatch(k -> k.startsWith(prefix + "data/") && k.endsWith(".parquet"));
    // The pointer names a metadata file that is really in the bucket.
    String metadata = ((org.apache.iceberg.HasTableOperations) table).operations().current().metadataFileLocation();
    assertThat(keys).contains(metadata.substring(("s3://" + LakeEnv.BUCKET + "/").length()));
    assertThat(lake.pangolinSessions()).isLessThanOrEqualTo(MAX_SESSIONS);
  }

  @Test
  void streamingInsertCommitsAtCheckpoints() {
    batch.execute("CREATE DATABASE lake.clicks");
    batch.execute("CREATE TABLE lake.clicks.events (id BIGINT, payload STRING)");

    FlinkSql streaming = FlinkSql.streaming(lake, Duration.ofMillis(300));
    try {
      // A bounded source that runs for about three seconds, so the sink commits at several checkpoints before
      // the final one at the end of input.
      streaming.execute("CREATE TEMPORARY TABLE clicks (id BIGINT, payload STRING) WITH ("
          + " 'connector' = 'datagen', 'rows-per-second' = '20', 'number-of-rows' = '60',"
          + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '60',"
          + " 'fields.payload.length' = '8')");
      streaming.execute("INSERT INTO lake.clicks.events SELECT id, payload FROM clicks");
    } finally {
      streaming.close();
    }

    List<Row> rows = batch.rows("SELECT id FROM lake.clicks.events");
    assertThat(rows).extracting(r -> (Long) r.getField(0))
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 60).boxed().toList());

    Table table = pangolin.loadTable(LakeEnv.id("clicks", "events"));
    List<Snapshot> snapshots = snapshots(table);
    assertThat(snapshots).as("one commit per checkpoint that saw data").hasSizeGreaterThanOrEqualTo(2);
    // Flink's committer records the checkpoint of each commit, so a restarted job never commits twice.
    assertThat(snapshots).allSatisfy(s -> assertThat(s.summary()).containsKey("flink.max-committed-checkpoint-id"));
    assertThat(lake.keys(keyPrefix(table) + "data/")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lake.pangolinSessions()).isLessThanOrEqualTo(MAX_SESSIONS);
  }

  @Test
  void repeatedJobsDoNotPileUpConnections() {
    batch.execute("CREATE DATABASE lake.repeat");
    batch.execute("CREATE TABLE lake.repeat.t (id BIGINT)");
    // Each job opens Pangolin catalogs of its own (Iceberg's table loaders in the sink, committer and source);
    // with them closed when the job ends, the count stays where the first job left it (2 here).
    Integer afterFirstJob = null;
    for (int i = 0; i < 6; i++) {
      batch.execute("INSERT INTO lake.repeat.t VALUES (" + i + ")");
      assertThat(batch.rows("SELECT count(*) FROM lake.repeat.t")).extracting(r -> r.getField(0))
          .containsExactly((long) i + 1);
      int sessions = lake.pangolinSessions();
      if (afterFirstJob == null) {
        afterFirstJob = sessions;
      }
      assertThat(sessions).as("Pangolin sessions after job pair %s", i)
          .isLessThanOrEqualTo(MAX_SESSIONS)
          // A session of a pool closed a moment ago may still be on its way out.
          .isLessThanOrEqualTo(afterFirstJob + 2);
    }
  }

  /**
   * The catalog logged in as a principal holding READ and WRITE on catalog lake: its INSERT commits and is in the
   * audit trail under that principal, and a CREATE TABLE it holds no privilege for is refused, naming both.
   */
  @Test
  void aPrincipalsCommitIsAuditedUnderItsName() {
    batch.execute("CREATE DATABASE lake.granted");
    batch.execute("CREATE TABLE lake.granted.t (id BIGINT)");
    String password = "pw-" + UUID.randomUUID();
    String writer = lake.principal("flink_writer", password, List.of("READ", "WRITE"));
    FlinkSql asWriter = FlinkSql.batchAs(lake, writer, password);
    try {
      asWriter.execute("INSERT INTO lake.granted.t VALUES (1), (2)");
      assertThat(asWriter.rows("SELECT count(*) FROM lake.granted.t")).extracting(r -> r.getField(0))
          .containsExactly(2L);
      assertThatThrownBy(() -> asWriter.execute("CREATE TABLE lake.granted.u (id BIGINT)"))
          .hasStackTraceContaining("principal '" + writer + "'")
          .hasStackTraceContaining("needs the CREATE privilege");
      assertThat(pangolin.tableExists(LakeEnv.id("granted", "u"))).isFalse();
    } finally {
      asWriter.close();
      lake.dropRole(writer);
    }
    assertThat(lake.audit("granted.t"))
        .containsExactly("INSERT by " + TestPostgres.get().user(), "COMMIT by " + writer);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static List<Snapshot> snapshots(Table table) {
    return java.util.stream.StreamSupport.stream(table.snapshots().spliterator(), false)
        .collect(Collectors.toList());
  }

  /** The table's folder in the bucket, as an object key prefix ending in '/'. */
  private static String keyPrefix(Table table) {
    String root = "s3://" + LakeEnv.BUCKET + "/";
    assertThat(table.location()).startsWith(lake.warehouseRoot() + "/");
    return table.location().substring(root.length()) + "/";
  }
}
