package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.scalar;
import static io.pangolin.spark.SparkSql.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.refs.MergeConflictException;
import io.pangolin.testing.TestCatalogs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Write-audit-publish with Spark SQL: three tables written on branch {@code dev} (Spark catalog {@code lake_dev})
 * stay invisible to readers of main (catalog {@code lake}) until the merge publishes all of them, and a reader
 * with consistent reads never sees part of a merge; a conflicting merge is refused, names the table and changes
 * nothing.
 */
class WriteAuditPublishIT {

  private static final List<String> TABLES = List.of("orders", "customers", "items");
  private static PangolinAdmin admin;

  @BeforeAll
  static void setUp() {
    SparkTestEnv env = SparkTestEnv.get();
    admin = new PangolinAdmin(TestCatalogs.dataSource(env.jdbcUrl()), Optional.empty());
    tablesOnMainAndBranch("wap", "dev");
    register("lake_reader", "main");
    // The reader's queries each see one database snapshot of the catalog: see the README's "Consistent reads".
    SparkTestEnv.get().spark().conf().set("spark.sql.catalog.lake_reader.pangolin.consistent-reads", "true");
  }

  /** The three tables in namespace {@code ns} of lake, one row each, then branch {@code branch} (Spark: lake_BRANCH). */
  private static void tablesOnMainAndBranch(String ns, String branch) {
    sql("CREATE NAMESPACE IF NOT EXISTS lake." + ns);
    for (String t : TABLES) {
      sql("CREATE TABLE lake." + ns + "." + t + " (id BIGINT) USING iceberg");
      sql("INSERT INTO lake." + ns + "." + t + " VALUES (1)");
    }
    admin.createBranch(SparkTestEnv.TENANT, "lake", branch, "main");
    register("lake_" + branch, branch);
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

  /** Pangolin catalog lake on {@code ref} through the Iceberg API, as the Spark catalogs are configured. */
  private static PangolinCatalog javaCatalog(String ref) {
    String prefix = "spark.sql.catalog.lake.";
    Map<String, String> props = new HashMap<>();
    SparkTestEnv.get().catalogConf("lake").forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        props.put(k.substring(prefix.length()), v);
      }
    });
    props.put("pangolin.catalog", "lake");
    props.put("pangolin.ref", ref);
    return (PangolinCatalog) CatalogUtil.loadCatalog(props.get("catalog-impl"), "lake_java_" + ref, props, null);
  }

  /** Appends a copy (new objects) of the data files that {@code table}'s current snapshot added. */
  private static void appendCopyOfLastFiles(Table table) {
    AppendFiles append = table.newFastAppend();
    for (DataFile file : table.currentSnapshot().addedDataFiles(table.io())) {
      String copy = table.locationProvider().newDataLocation("copy-" + UUID.randomUUID() + ".parquet");
      try (InputStream in = table.io().newInputFile(file.location()).newStream();
          OutputStream out = table.io().newOutputFile(copy).create()) {
        in.transferTo(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      append.appendFile(DataFiles.builder(table.spec()).copy(file).withPath(copy).build());
    }
    append.commit();
  }

  private static List<Object> counts(String catalog) {
    return counts(catalog, "wap");
  }

  /** One query over the three tables of {@code namespace}: their row counts. */
  private static List<Object> counts(String catalog, String namespace) {
    return rows("SELECT " + String.join(", ", TABLES.stream()
        .map(t -> "(SELECT count(*) FROM " + catalog + "." + namespace + "." + t + ")").toList())).get(0);
  }

  @Test
  void aMergeBetweenTheLoadsOfOneQueryIsSeenEntirelyOrNotAtAllWithConsistentReads() {
    tablesOnMainAndBranch("hook", "hookdev");
    for (String name : List.of("lake_hooked", "lake_hooked_consistent")) {
      register(name, "main");
      SparkTestEnv.get().spark().conf().set("spark.sql.catalog." + name + ".catalog-impl",
          MergeDuringQueryCatalog.class.getName());
    }
    SparkTestEnv.get().spark().conf().set("spark.sql.catalog.lake_hooked_consistent.pangolin.consistent-reads", "true");
    Runnable merge = () -> admin.merge(SparkTestEnv.TENANT, "lake", "hookdev", "main");

    // How many pointer reads one query makes; the engine's last round of them (one per table) decides what it reads.
    MergeDuringQueryCatalog.countReads();
    assertThat(counts("lake_hooked", "hook")).containsExactly(1L, 1L, 1L);
    int reads = MergeDuringQueryCatalog.reads();
    int lastRoundBegins = reads - TABLES.size() + 1;
    System.out.printf("Spark %s reads the pointers of a query over %d tables %d times%n",
        SparkTestEnv.get().spark().version(), TABLES.size(), reads);
    assertThat(lastRoundBegins).isPositive();

    // Without consistent reads the last round's first table is read before the merge and the others after it.
    TABLES.forEach(t -> sql("INSERT INTO lake_hookdev.hook." + t + " VALUES (2), (3)"));
    MergeDuringQueryCatalog.runAfterRead(lastRoundBegins, merge);
    List<Object> plain = counts("lake_hooked", "hook");
    System.out.printf("without consistent reads, a merge between one query's reads gave counts %s%n", plain);
    assertThat(plain).as("the hook landed the merge inside the query").contains(1L).contains(3L);

    // With them, the query reads one snapshot: all from before the merge; the next query all from after it.
    TABLES.forEach(t -> sql("INSERT INTO lake_hookdev.hook." + t + " VALUES (4), (5)"));
    MergeDuringQueryCatalog.runAfterRead(lastRoundBegins, merge);
    assertThat(counts("lake_hooked_consistent", "hook")).containsExactly(3L, 3L, 3L);
    MergeDuringQueryCatalog.countReads();
    assertThat(counts("lake_hooked_consistent", "hook")).containsExactly(5L, 5L, 5L);
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

    // A reader of main with consistent reads runs queries over all three tables in a loop while dev is merged
    // into main again and again, at different points of the reader's queries. Between merges, each table gets
    // one more copy of the data file Spark last wrote on dev (2 rows), through the Iceberg API, which is quicker.
    List<List<Object>> seen = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean published = new AtomicBoolean();
    Thread reader = new Thread(() -> {
      boolean last = false;
      while (!last) {
        last = published.get();
        seen.add(counts("lake_reader"));
      }
    });
    reader.start();
    int merges = 8;
    try (PangolinCatalog dev = javaCatalog("dev")) {
      for (int merge = 0; merge < merges; merge++) {
        if (merge > 0) {
          TABLES.forEach(t -> appendCopyOfLastFiles(dev.loadTable(TableIdentifier.of("wap", t))));
        }
        int queries = seen.size();
        while (seen.size() == queries) {
          Thread.sleep(5);
        }
        Thread.sleep(23L * merge);
        admin.merge(SparkTestEnv.TENANT, "lake", "dev", "main");
      }
    }
    published.set(true);
    reader.join();

    long mixed = seen.stream().filter(s -> s.stream().distinct().count() > 1).count();
    System.out.printf("reader on main (consistent reads) ran %d queries during %d merges; %d saw a mix%n",
        seen.size(), merges, mixed);
    assertThat(seen.get(0)).containsExactly(1L, 1L, 1L);
    long rows = 1 + 2L * merges;
    assertThat(seen.get(seen.size() - 1)).containsExactly(rows, rows, rows);
    assertThat(seen).as("every query sees each merge entirely or not at all")
        .allSatisfy(counts -> assertThat(counts).containsOnly(counts.get(0)));
    List<Long> order = seen.stream().map(counts -> (Long) counts.get(0)).toList();
    assertThat(order).as("a reader never goes back to an older state").isSorted();
    // Spark's table cache (cache-enabled, on by default) keeps what lake loaded before until it is refreshed.
    TABLES.forEach(t -> sql("REFRESH TABLE lake.wap." + t));
    assertThat(counts("lake")).containsExactly(rows, rows, rows);
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
