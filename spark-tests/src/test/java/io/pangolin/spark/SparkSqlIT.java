package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.column;
import static io.pangolin.spark.SparkSql.icebergTable;
import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.location;
import static io.pangolin.spark.SparkSql.pairs;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.scalar;
import static io.pangolin.spark.SparkSql.sql;
import static io.pangolin.spark.SparkSql.tables;
import static io.pangolin.spark.SparkSql.views;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestS3;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.actions.DeleteOrphanFiles;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Spark SQL against a Pangolin catalog the way users write it. Every test works on tables of its own in
 * namespace {@code lake.db}, so the tests do not depend on each other's order.
 */
class SparkSqlIT {

  private static final DateTimeFormatter SQL_TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

  @BeforeAll
  static void namespace() {
    sql("CREATE NAMESPACE IF NOT EXISTS lake.db");
  }

  private static TestS3 s3() {
    return SparkTestEnv.get().lakeS3();
  }

  @Test
  void nestedNamespaceWithProperties() {
    sql("CREATE NAMESPACE lake.db.sub COMMENT 'nested for the e2e suite'"
        + " WITH DBPROPERTIES ('owner_team' = 'lakehouse', 'retention_days' = '30')");

    Map<String, String> described = pairs("DESCRIBE NAMESPACE EXTENDED lake.db.sub");
    assertThat(described.get("Comment")).isEqualTo("nested for the e2e suite");
    assertThat(described.get("Properties")).contains("owner_team,lakehouse").contains("retention_days,30");
    assertThat(column("SHOW NAMESPACES IN lake.db")).anyMatch(ns -> ns.endsWith("sub"));

    sql("ALTER NAMESPACE lake.db.sub SET DBPROPERTIES ('retention_days' = '7')");
    assertThat(pairs("DESCRIBE NAMESPACE EXTENDED lake.db.sub").get("Properties"))
        .contains("retention_days,7")
        .contains("owner_team,lakehouse");

    sql("CREATE TABLE lake.db.sub.leaf (id BIGINT) USING iceberg");
    sql("INSERT INTO lake.db.sub.leaf VALUES (42)");
    assertThat(rows("SELECT id FROM lake.db.sub.leaf")).containsExactly(row(42L));
    assertThat(location("lake.db.sub.leaf")).startsWith("s3://lake-bucket/warehouse/lake/db/sub/leaf-");
  }

  @Test
  void partitionedTableWithProperties() {
    sql("CREATE TABLE lake.db.events (id BIGINT, category STRING, ts TIMESTAMP, amount DOUBLE) USING iceberg"
        + " PARTITIONED BY (category, days(ts))"
        + " TBLPROPERTIES ('write.format.default' = 'parquet', 'e2e.owner' = 'pangolin')");

    Map<String, String> props = pairs("SHOW TBLPROPERTIES lake.db.events");
    assertThat(props).containsEntry("e2e.owner", "pangolin").containsEntry("write.format.default", "parquet");

    sql("INSERT INTO lake.db.events VALUES"
        + " (1, 'books', TIMESTAMP '2025-01-01 10:00:00', 10.5),"
        + " (2, 'games', TIMESTAMP '2025-01-02 11:00:00', 20.0),"
        + " (3, 'books', TIMESTAMP '2025-01-02 12:00:00', 5.25)");

    assertThat(rows("SELECT id, category, amount FROM lake.db.events ORDER BY id"))
        .containsExactly(row(1L, "books", 10.5), row(2L, "games", 20.0), row(3L, "books", 5.25));
    assertThat(rows("SELECT category, sum(amount) FROM lake.db.events GROUP BY category ORDER BY category"))
        .containsExactly(row("books", 15.75), row("games", 20.0));
    assertThat(scalar("SELECT count(*) FROM lake.db.events.partitions")).isEqualTo(3L);

    String location = location("lake.db.events");
    assertThat(location).startsWith("s3://lake-bucket/warehouse/lake/db/events-");
    assertThat(keysUnder(s3(), location))
        .anyMatch(k -> k.contains("/data/category=books/ts_day=2025-01-01/") && k.endsWith(".parquet"))
        .anyMatch(k -> k.contains("/data/category=games/ts_day=2025-01-02/") && k.endsWith(".parquet"));
  }

  @Test
  void createTableAsSelectAndAtomicReplace() {
    sql("CREATE TABLE lake.db.scores USING iceberg AS"
        + " SELECT id, CAST(id * 10 AS INT) AS score FROM range(1, 4)");
    assertThat(rows("SELECT id, score FROM lake.db.scores ORDER BY id"))
        .containsExactly(row(1L, 10), row(2L, 20), row(3L, 30));
    long firstSnapshot = icebergTable("lake.db.scores").currentSnapshot().snapshotId();
    String locationBefore = location("lake.db.scores");

    sql("CREATE OR REPLACE TABLE lake.db.scores USING iceberg AS"
        + " SELECT id, CAST(id * 100 AS INT) AS score, 'v2' AS version FROM range(5, 7)");

    assertThat(rows("SELECT id, score, version FROM lake.db.scores ORDER BY id"))
        .containsExactly(row(5L, 500, "v2"), row(6L, 600, "v2"));
    // Replaced in place: same table, its history kept, the old data still readable by snapshot.
    assertThat(location("lake.db.scores")).isEqualTo(locationBefore);
    assertThat(scalar("SELECT count(*) FROM lake.db.scores.snapshots")).isEqualTo(2L);
    assertThat(scalar("SELECT count(*) FROM lake.db.scores.history")).isEqualTo(2L);
    assertThat(rows("SELECT id, score FROM lake.db.scores VERSION AS OF " + firstSnapshot + " ORDER BY id"))
        .containsExactly(row(1L, 10), row(2L, 20), row(3L, 30));
  }

  @Test
  void mergeUpdateDelete() {
    sql("CREATE TABLE lake.db.accounts (id BIGINT, owner STRING, balance BIGINT) USING iceberg"
        + " TBLPROPERTIES ('format-version' = '2', 'write.delete.mode' = 'merge-on-read')");
    sql("INSERT INTO lake.db.accounts VALUES (1, 'ann', 100), (2, 'bob', 200), (3, 'cy', 300)");

    sql("MERGE INTO lake.db.accounts t"
        + " USING (SELECT * FROM VALUES (2L, 'bob', 250L), (4L, 'dee', 400L) AS s(id, owner, balance)) s"
        + " ON t.id = s.id"
        + " WHEN MATCHED THEN UPDATE SET t.balance = s.balance"
        + " WHEN NOT MATCHED THEN INSERT *");
    assertThat(rows("SELECT id, owner, balance FROM lake.db.accounts ORDER BY id")).containsExactly(
        row(1L, "ann", 100L), row(2L, "bob", 250L), row(3L, "cy", 300L), row(4L, "dee", 400L));

    sql("UPDATE lake.db.accounts SET balance = balance + 1 WHERE owner = 'ann'");
    sql("DELETE FROM lake.db.accounts WHERE id = 3");

    assertThat(rows("SELECT id, owner, balance FROM lake.db.accounts ORDER BY id"))
        .containsExactly(row(1L, "ann", 101L), row(2L, "bob", 250L), row(4L, "dee", 400L));
    assertThat(scalar("SELECT count(*) FROM lake.db.accounts.snapshots")).isEqualTo(4L);
    // The merge-on-read DELETE wrote a delete file instead of rewriting the data.
    assertThat(scalar("SELECT count(*) FROM lake.db.accounts.delete_files")).isEqualTo(1L);
  }

  @Test
  void schemaAndPartitionEvolution() {
    sql("CREATE TABLE lake.db.evolving (id BIGINT, name STRING, legacy STRING) USING iceberg");
    sql("INSERT INTO lake.db.evolving VALUES (1, 'a', 'old')");

    sql("ALTER TABLE lake.db.evolving ADD COLUMN score INT");
    sql("ALTER TABLE lake.db.evolving RENAME COLUMN name TO label");
    sql("ALTER TABLE lake.db.evolving DROP COLUMN legacy");
    sql("ALTER TABLE lake.db.evolving ADD PARTITION FIELD bucket(4, id)");
    sql("INSERT INTO lake.db.evolving VALUES (2, 'b', 7)");

    assertThat(column("DESCRIBE TABLE lake.db.evolving")).startsWith("id", "label", "score");
    assertThat(column("DESCRIBE TABLE lake.db.evolving")).doesNotContain("legacy", "name");
    assertThat(rows("SELECT id, label, score FROM lake.db.evolving ORDER BY id"))
        .containsExactly(row(1L, "a", null), row(2L, "b", 7));
    // The first file was written unpartitioned (spec 0), the second under the new spec.
    assertThat(rows("SELECT DISTINCT spec_id FROM lake.db.evolving.files ORDER BY spec_id"))
        .containsExactly(row(0), row(1));
    assertThat(icebergTable("lake.db.evolving").spec().fields()).hasSize(1);
  }

  @Test
  void timeTravelByVersionAndTimestamp() throws InterruptedException {
    sql("CREATE TABLE lake.db.travel (id BIGINT, v STRING) USING iceberg");
    sql("INSERT INTO lake.db.travel VALUES (1, 'first')");
    Row first = sql("SELECT snapshot_id, committed_at FROM lake.db.travel.snapshots").get(0);
    long firstId = first.getLong(0);
    Instant firstAt = ((Timestamp) first.get(1)).toInstant();
    // Snapshot times have millisecond resolution; keep the second commit strictly later.
    Thread.sleep(20);
    sql("INSERT INTO lake.db.travel VALUES (2, 'second')");

    assertThat(rows("SELECT id, v FROM lake.db.travel ORDER BY id"))
        .containsExactly(row(1L, "first"), row(2L, "second"));
    assertThat(rows("SELECT id, v FROM lake.db.travel VERSION AS OF " + firstId))
        .containsExactly(row(1L, "first"));
    assertThat(rows("SELECT id, v FROM lake.db.travel TIMESTAMP AS OF '" + SQL_TIMESTAMP.format(firstAt) + "'"))
        .containsExactly(row(1L, "first"));
    assertThat(rows("SELECT id, v FROM lake.db.travel TIMESTAMP AS OF '"
        + SQL_TIMESTAMP.format(Instant.now().plusSeconds(1)) + "' ORDER BY id"))
        .containsExactly(row(1L, "first"), row(2L, "second"));
  }

  @Test
  void branchesAndTags() {
    sql("CREATE TABLE lake.db.refs_demo (id BIGINT, v STRING) USING iceberg");
    sql("INSERT INTO lake.db.refs_demo VALUES (1, 'main')");
    sql("ALTER TABLE lake.db.refs_demo CREATE TAG v1");
    sql("ALTER TABLE lake.db.refs_demo CREATE BRANCH audit");

    sql("INSERT INTO lake.db.refs_demo.branch_audit VALUES (2, 'on the branch')");

    assertThat(rows("SELECT id, v FROM lake.db.refs_demo.branch_audit ORDER BY id"))
        .containsExactly(row(1L, "main"), row(2L, "on the branch"));
    assertThat(rows("SELECT id, v FROM lake.db.refs_demo VERSION AS OF 'audit' ORDER BY id"))
        .containsExactly(row(1L, "main"), row(2L, "on the branch"));
    assertThat(rows("SELECT id, v FROM lake.db.refs_demo")).containsExactly(row(1L, "main"));

    sql("INSERT INTO lake.db.refs_demo VALUES (3, 'main again')");
    assertThat(rows("SELECT id FROM lake.db.refs_demo ORDER BY id")).containsExactly(row(1L), row(3L));
    assertThat(rows("SELECT id, v FROM lake.db.refs_demo VERSION AS OF 'v1'")).containsExactly(row(1L, "main"));
    assertThat(rows("SELECT name, type FROM lake.db.refs_demo.refs ORDER BY name"))
        .containsExactly(row("audit", "BRANCH"), row("main", "BRANCH"), row("v1", "TAG"));
  }

  @Test
  void createQueryAndDropView() {
    sql("CREATE TABLE lake.db.view_base (id BIGINT, owner STRING, balance BIGINT) USING iceberg");
    sql("INSERT INTO lake.db.view_base VALUES (1, 'ann', 50), (2, 'bob', 500), (3, 'cy', 900)");

    sql("CREATE VIEW lake.db.rich AS SELECT id, owner FROM lake.db.view_base WHERE balance > 100");

    assertThat(rows("SELECT id, owner FROM lake.db.rich ORDER BY id"))
        .containsExactly(row(2L, "bob"), row(3L, "cy"));
    assertThat(views("lake.db")).contains("rich");
    assertThat(tables("lake.db")).doesNotContain("rich");
    // The view's definition follows the base table's data.
    sql("INSERT INTO lake.db.view_base VALUES (4, 'dee', 101)");
    assertThat(scalar("SELECT count(*) FROM lake.db.rich")).isEqualTo(3L);
    assertThat(s3().keys(SparkTestEnv.LAKE_BUCKET, "warehouse/lake/db/rich-"))
        .anyMatch(k -> k.endsWith(".metadata.json"));

    sql("DROP VIEW lake.db.rich");

    assertThat(views("lake.db")).doesNotContain("rich");
    assertThatThrownBy(() -> sql("SELECT * FROM lake.db.rich")).isInstanceOf(AnalysisException.class);
  }

  @Test
  void metadataTables() {
    sql("CREATE TABLE lake.db.inspected (id BIGINT, v STRING) USING iceberg");
    sql("INSERT INTO lake.db.inspected VALUES (1, 'a')");
    sql("INSERT INTO lake.db.inspected VALUES (2, 'b')");
    String location = location("lake.db.inspected");

    assertThat(rows("SELECT operation FROM lake.db.inspected.snapshots ORDER BY committed_at"))
        .containsExactly(row("append"), row("append"));
    assertThat(rows("SELECT is_current_ancestor FROM lake.db.inspected.history"))
        .containsExactly(row(true), row(true));
    List<String> files = column("SELECT file_path FROM lake.db.inspected.files");
    assertThat(files).hasSize(2).allMatch(f -> f.startsWith(location + "/data/") && f.endsWith(".parquet"));
    assertThat(scalar("SELECT sum(record_count) FROM lake.db.inspected.files")).isEqualTo(2L);
    assertThat(column("SELECT path FROM lake.db.inspected.manifests"))
        .isNotEmpty()
        .allMatch(p -> p.startsWith(location + "/metadata/") && p.endsWith(".avro"));
    // Each data file listed by the table is really in the bucket.
    assertThat(keysUnder(s3(), location))
        .containsAll(files.stream().map(f -> f.substring("s3://lake-bucket/".length())).toList());
  }

  @Test
  void maintenanceProcedures() {
    sql("CREATE TABLE lake.db.maint (id BIGINT, v STRING) USING iceberg");
    for (int i = 1; i <= 3; i++) {
      sql("INSERT INTO lake.db.maint VALUES (" + i + ", 'v" + i + "')");
    }
    String location = location("lake.db.maint");
    List<String> smallFiles = column("SELECT file_path FROM lake.db.maint.files");
    assertThat(smallFiles).hasSize(3);

    Row rewrite = sql("CALL lake.system.rewrite_data_files(table => 'db.maint',"
        + " options => map('min-input-files', '2'))").get(0);
    assertThat(rewrite.getInt(0)).as("rewritten data files").isEqualTo(3);
    assertThat(rewrite.getInt(1)).as("added data files").isEqualTo(1);
    assertThat(scalar("SELECT count(*) FROM lake.db.maint.files")).isEqualTo(1L);
    assertThat(rows("SELECT id FROM lake.db.maint ORDER BY id")).containsExactly(row(1L), row(2L), row(3L));

    String future = SQL_TIMESTAMP.format(Instant.now().plus(1, ChronoUnit.HOURS));
    Row expired = sql("CALL lake.system.expire_snapshots(table => 'db.maint',"
        + " older_than => TIMESTAMP '" + future + "', retain_last => 1)").get(0);
    assertThat(expired.getLong(0)).as("deleted data files").isEqualTo(3L);
    assertThat(scalar("SELECT count(*) FROM lake.db.maint.snapshots")).isEqualTo(1L);
    List<String> stored = keysUnder(s3(), location);
    assertThat(smallFiles).allSatisfy(f -> assertThat(stored).doesNotContain(keyOf(f)));

    // A file no snapshot references, as a failed writer leaves behind.
    String orphanKey = SparkSql.keyPrefixOf(location) + "data/orphan-from-a-failed-job.parquet";
    try (var client = s3().client()) {
      client.putObject(b -> b.bucket(SparkTestEnv.LAKE_BUCKET).key(orphanKey), RequestBody.fromString("junk"));
    }
    // The procedure refuses an older_than less than a day back, so it cannot see a file this young: it must list
    // the table through the warehouse's FileIO without failing and report nothing.
    List<Row> dryRun = sql("CALL lake.system.remove_orphan_files(table => 'db.maint',"
        + " dry_run => true, prefix_listing => true)");
    assertThat(dryRun).isEmpty();
    // The action behind the procedure takes any cut-off: with one in the future it finds exactly the orphan.
    Table table = icebergTable("lake.db.maint");
    DeleteOrphanFiles.Result orphans = SparkActions.get().deleteOrphanFiles(table)
        .olderThan(System.currentTimeMillis() + 60_000)
        .usePrefixListing(true)
        .execute();
    assertThat(orphans.orphanFileLocations()).containsExactly("s3://lake-bucket/" + orphanKey);
    assertThat(keysUnder(s3(), location)).doesNotContain(orphanKey);
    assertThat(rows("SELECT id FROM lake.db.maint ORDER BY id")).containsExactly(row(1L), row(2L), row(3L));
  }

  @Test
  void dropThenRegisterTable() {
    sql("CREATE TABLE lake.db.dropped (id BIGINT, v STRING) USING iceberg");
    sql("INSERT INTO lake.db.dropped VALUES (1, 'kept'), (2, 'files')");
    String location = location("lake.db.dropped");
    String metadataFile = (String) scalar(
        "SELECT file FROM lake.db.dropped.metadata_log_entries ORDER BY timestamp DESC LIMIT 1");
    List<String> before = keysUnder(s3(), location);

    sql("DROP TABLE lake.db.dropped");

    assertThat(tables("lake.db")).doesNotContain("dropped");
    // Without PURGE the catalog forgets the table but its files stay.
    assertThat(keysUnder(s3(), location)).containsExactlyInAnyOrderElementsOf(before);

    Row registered = sql("CALL lake.system.register_table(table => 'db.revived',"
        + " metadata_file => '" + metadataFile + "')").get(0);
    assertThat(registered.getLong(1)).as("total records").isEqualTo(2L);
    assertThat(rows("SELECT id, v FROM lake.db.revived ORDER BY id"))
        .containsExactly(row(1L, "kept"), row(2L, "files"));
    sql("INSERT INTO lake.db.revived VALUES (3, 'after')");
    assertThat(scalar("SELECT count(*) FROM lake.db.revived")).isEqualTo(3L);
  }

  @Test
  void renameTable() {
    sql("CREATE TABLE lake.db.before_rename (id BIGINT) USING iceberg");
    sql("INSERT INTO lake.db.before_rename VALUES (7)");

    sql("ALTER TABLE lake.db.before_rename RENAME TO db.after_rename");

    assertThat(tables("lake.db")).contains("after_rename").doesNotContain("before_rename");
    assertThat(rows("SELECT id FROM lake.db.after_rename")).containsExactly(row(7L));
    sql("INSERT INTO lake.db.after_rename VALUES (8)");
    assertThat(scalar("SELECT count(*) FROM lake.db.after_rename")).isEqualTo(2L);
    assertThatThrownBy(() -> sql("SELECT * FROM lake.db.before_rename")).isInstanceOf(AnalysisException.class);
  }

  @Test
  void dropTablePurgeKeepsItsObjectsForGc() {
    sql("CREATE TABLE lake.db.purged (id BIGINT, v STRING) USING iceberg PARTITIONED BY (v)");
    sql("INSERT INTO lake.db.purged VALUES (1, 'x'), (2, 'y')");
    sql("INSERT INTO lake.db.purged VALUES (3, 'x')");
    String location = location("lake.db.purged");
    assertThat(keysUnder(s3(), location))
        .anyMatch(k -> k.endsWith(".metadata.json"))
        .anyMatch(k -> k.endsWith(".parquet"));

    List<String> keys = keysUnder(s3(), location);

    sql("DROP TABLE lake.db.purged PURGE");

    assertThat(tables("lake.db")).doesNotContain("purged");
    // Deleted by 'pangolin gc' once the retention ends (UndropSparkIT), so it can be restored until then.
    assertThat(keysUnder(s3(), location)).containsExactlyInAnyOrderElementsOf(keys);
  }

  private static String keyOf(String s3Location) {
    return s3Location.substring(("s3://" + SparkTestEnv.LAKE_BUCKET + "/").length());
  }
}
