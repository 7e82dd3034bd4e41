package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.scalar;
import static io.pangolin.spark.SparkSql.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.MergeConflictException;
import io.pangolin.testing.TestCatalogs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write-audit-publish with Spark SQL: three tables written on branch {@code dev} (Spark catalog {@code lake_dev})
 * stay invisible to readers of main (catalog {@code lake}) until the merge publishes all of them; a conflicting
 * merge is refused, names the table and changes nothing.
 */
class WriteAuditPublishIT {

  private static final List<String> TABLES = List.of("orders", "customers", "items");
  private static PangolinAdmin admin;

  @BeforeAll
  static void setUp() {
    SparkTestEnv env = SparkTestEnv.get();
    admin = new PangolinAdmin(TestCatalogs.dataSource(env.jdbcUrl()), Optional.empty());
    sql("CREATE NAMESPACE IF NOT EXISTS lake.wap");
    for (String t : TABLES) {
      sql("CREATE TABLE lake.wap." + t + " (id BIGINT) USING iceberg");
      sql("INSERT INTO lake.wap." + t + " VALUES (1)");
    }
    admin.createBranch(SparkTestEnv.TENANT, "lake", "dev", "main");
    register("lake_dev", "dev");
    register("lake_reader", "main");
  }

  /** A Spark catalog on a branch of Pangolin catalog lake, without Spark's table cache so each query loads. */
  private static void register(String sparkName, String ref) {
    SparkTestEnv env = SparkTestEnv.get();
    env.registerCatalog(sparkName);
    SparkSession spark = env.spark();
    spark.conf().set("spark.sql.catalog." + sparkName + ".pangolin.catalog", "lake");
    spark.conf().set("spark.sql.catalog." + sparkName + ".pangolin.ref", ref);
    spark.conf().set("spark.sql.catalog." + sparkName + ".cache-enabled", "false");
  }

  private static List<Object> counts(String catalog) {
    return rows("SELECT " + String.join(", ", TABLES.stream()
        .map(t -> "(SELECT count(*) FROM " + catalog + ".wap." + t + ")").toList())).get(0);
  }

  @Test
  void writeOnDevAuditThenPublishAllAtOnce() throws Exception {
    for (String t : TABLES) {
      sql("INSERT INTO lake_dev.wap." + t + " VALUES (2), (3)");
    }
    assertThat(counts("lake_reader")).containsExactly(1L, 1L, 1L);
    assertThat(counts("lake_dev")).containsExactly(3L, 3L, 3L);
    // The audit: no NULL ids reached dev.
    assertThat(scalar("SELECT count(*) FROM lake_dev.wap.orders WHERE id IS NULL")).isEqualTo(0L);

    List<List<Object>> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean merged = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      boolean last = false;
      while (!last) {
        last = merged.get();
        seen.add(counts("lake_reader"));
      }
    });
    reader.start();
    while (seen.size() < 2) {
      Thread.sleep(20);
    }
    admin.merge(SparkTestEnv.TENANT, "lake", "dev", "main");
    merged.set(true);
    reader.join();

    assertThat(seen.get(0)).containsExactly(1L, 1L, 1L);
    assertThat(seen.get(seen.size() - 1)).containsExactly(3L, 3L, 3L);
    long mixed = seen.stream().filter(s -> s.stream().distinct().count() > 1).count();
    // A Spark query loads its three tables one after another; a merge can land between two of those loads.
    System.out.printf("reader on main ran %d queries during the merge; %d loaded tables on both sides of it%n",
        seen.size(), mixed);
    for (int i = 0; i < TABLES.size(); i++) {
      int column = i;
      List<Object> history = seen.stream().map(s -> s.get(column)).toList();
      assertThat(history.indexOf(3L)).as("table %s never goes back once published", TABLES.get(i))
          .isEqualTo(history.size() - Collections.frequency(history, 3L));
    }
    // Spark's table cache (cache-enabled, on by default) keeps what lake loaded before until it is refreshed.
    TABLES.forEach(t -> sql("REFRESH TABLE lake.wap." + t));
    assertThat(counts("lake")).containsExactly(3L, 3L, 3L);
  }

  @Test
  void conflictingMergeIsRefusedAndChangesNothing() {
    sql("CREATE TABLE lake.wap.payments (id BIGINT) USING iceberg");
    sql("INSERT INTO lake.wap.payments VALUES (1)");
    admin.createBranch(SparkTestEnv.TENANT, "lake", "hotfix", "main");
    register("lake_hotfix", "hotfix");
    sql("INSERT INTO lake_hotfix.wap.payments VALUES (10)");
    sql("INSERT INTO lake.wap.payments VALUES (20)");
    String before = String.valueOf(rows("SELECT id FROM lake_reader.wap.payments ORDER BY id"));
    assertThatThrownBy(() -> admin.merge(SparkTestEnv.TENANT, "lake", "hotfix", "main"))
        .isInstanceOf(MergeConflictException.class)
        .hasMessageContaining("wap.payments")
        .hasMessageContaining("Nothing was merged");
    assertThat(String.valueOf(rows("SELECT id FROM lake_reader.wap.payments ORDER BY id"))).isEqualTo(before)
        .isEqualTo("[[1], [20]]");
  }
}
