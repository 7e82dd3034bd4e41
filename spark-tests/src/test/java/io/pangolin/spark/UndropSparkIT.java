package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.column;
import static io.pangolin.spark.SparkSql.keysUnder;
import static io.pangolin.spark.SparkSql.location;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static io.pangolin.spark.SparkSql.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.catalog.GarbageCollector;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark drops into the graveyard: undrop restores a dropped table with its snapshots; DROP ... PURGE deletes no
 * file until gc runs after the retention; and a session that still has the table cached then fails rather than
 * returning rows. Works in namespace {@code lake.undrop} of the shared session.
 */
class UndropSparkIT {

  @BeforeAll
  static void namespace() {
    sql("CREATE NAMESPACE IF NOT EXISTS lake.undrop");
    // A second Spark catalog over the same Pangolin catalog, with its own table cache: another session's view.
    SparkTestEnv.get().catalogConf("lake_cached")
        .forEach((k, v) -> SparkTestEnv.get().spark().conf().set(k, v));
    SparkTestEnv.get().spark().conf().set("spark.sql.catalog.lake_cached.pangolin.catalog", "lake");
  }

  private static PangolinAdmin admin() {
    return new PangolinAdmin(TestCatalogs.dataSource(SparkTestEnv.get().jdbcUrl()),
        Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
  }

  @Test
  void undropRestoresADroppedTableWithItsHistory() {
    sql("CREATE TABLE lake.undrop.kept (id BIGINT) USING iceberg");
    sql("INSERT INTO lake.undrop.kept VALUES (1)");
    sql("INSERT INTO lake.undrop.kept VALUES (2)");
    List<String> snapshots = column("SELECT CAST(snapshot_id AS STRING) FROM lake.undrop.kept.snapshots"
        + " ORDER BY committed_at");
    assertThat(snapshots).hasSize(2);

    sql("DROP TABLE lake.undrop.kept");
    assertThat(tables("lake.undrop")).doesNotContain("kept");

    admin().undrop(SparkTestEnv.TENANT, "lake", List.of("undrop"), "kept", OptionalLong.empty(), Optional.empty(),
        Optional.empty());

    assertThat(column("SELECT CAST(snapshot_id AS STRING) FROM lake.undrop.kept.snapshots ORDER BY committed_at"))
        .isEqualTo(snapshots);
    assertThat(rows("SELECT id FROM lake.undrop.kept ORDER BY id")).containsExactly(row(1L), row(2L));
  }

  @Test
  void dropPurgeDeletesFilesOnlyWhenGcCollectsAndACachedReaderThenFails() {
    PangolinAdmin admin = admin();
    admin.setDropRetention(SparkTestEnv.TENANT, "lake", Duration.ZERO);
    try {
      sql("CREATE TABLE lake.undrop.purged (id BIGINT, v STRING) USING iceberg PARTITIONED BY (v)");
      sql("INSERT INTO lake.undrop.purged VALUES (1, 'x'), (2, 'y')");
      String location = location("lake.undrop.purged");
      List<String> keys = keysUnder(SparkTestEnv.get().lakeS3(), location);
      assertThat(keys).anyMatch(k -> k.endsWith(".metadata.json")).anyMatch(k -> k.endsWith(".parquet"));
      assertThat(rows("SELECT count(*) FROM lake_cached.undrop.purged")).containsExactly(row(2L));

      sql("DROP TABLE lake.undrop.purged PURGE");
      assertThat(tables("lake.undrop")).doesNotContain("purged");
      assertThat(keysUnder(SparkTestEnv.get().lakeS3(), location)).as("a purge deletes nothing by itself")
          .containsExactlyInAnyOrderElementsOf(keys);

      GarbageCollector.Report report = admin.gc(SparkTestEnv.TENANT, Optional.of("lake"), false);

      assertThat(report.outcomes()).anyMatch(o -> o.dropped().qualifiedName().equals("undrop.purged")
          && o.action() == GarbageCollector.Action.PURGED);
      assertThat(keysUnder(SparkTestEnv.get().lakeS3(), location)).isEmpty();
      assertThatThrownBy(() -> rows("SELECT * FROM lake_cached.undrop.purged"))
          .hasStackTraceContaining(location);
    } finally {
      admin.setDropRetention(SparkTestEnv.TENANT, "lake", Duration.ofDays(7));
    }
  }
}
