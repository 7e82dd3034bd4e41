package io.pangolin.flink;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;

/**
 * Flink's Table API in this JVM, submitting to one MiniCluster shared by all tests (a MiniCluster per job, what
 * a plain local TableEnvironment does, costs seconds per statement). Each environment registers the Pangolin
 * catalog {@code lake} from examples/flink/create-catalog.sql.
 */
final class FlinkSql {

  private static MiniCluster cluster;

  private final TableEnvironment env;

  private FlinkSql(TableEnvironment env) {
    this.env = env;
  }

  static FlinkSql batch(LakeEnv lake) {
    return batch(lake, cluster());
  }

  /** Batch mode with the catalog logged in as {@code user} instead of the superuser. */
  static FlinkSql batchAs(LakeEnv lake, String user, String password) {
    Map<String, String> placeholders = new java.util.HashMap<>(lake.placeholders());
    placeholders.put("PANGOLIN_ENGINE_USER", user);
    placeholders.put("PANGOLIN_ENGINE_PASSWORD", password);
    return open(placeholders, EnvironmentSettings.newInstance().inBatchMode(), new Configuration(), cluster());
  }

  /** Batch mode on a given cluster (parallelism 2, as everywhere). */
  static FlinkSql batch(LakeEnv lake, MiniCluster on) {
    return open(lake, EnvironmentSettings.newInstance().inBatchMode(), new Configuration(), on);
  }

  /** Streaming mode, where Iceberg's sink commits at each checkpoint. */
  static FlinkSql streaming(LakeEnv lake, Duration checkpointInterval) {
    Configuration conf = new Configuration();
    conf.setString("execution.checkpointing.interval", checkpointInterval.toMillis() + " ms");
    return open(lake, EnvironmentSettings.newInstance().inStreamingMode(), conf, cluster());
  }

  private static FlinkSql open(LakeEnv lake, EnvironmentSettings.Builder settings, Configuration conf,
      MiniCluster on) {
    return open(lake.placeholders(), settings, conf, on);
  }

  private static FlinkSql open(Map<String, String> placeholders, EnvironmentSettings.Builder settings,
      Configuration conf, MiniCluster on) {
    URI rest = on.getRestAddress().join();
    conf.setString("execution.target", "remote");
    conf.setString("rest.address", rest.getHost());
    conf.setString("rest.port", Integer.toString(rest.getPort()));
    // A failed job must fail the test at once, not be retried until it times out.
    conf.setString("restart-strategy.type", "none");
    conf.setString("parallelism.default", "2");
    TableEnvironment env = TableEnvironment.create(settings.withConfiguration(conf).build());
    FlinkSql flink = new FlinkSql(env);
    flink.execute(createCatalogStatement(placeholders));
    return flink;
  }

  private static synchronized MiniCluster cluster() {
    if (cluster == null) {
      MiniCluster started = start(1, 4);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> started.closeAsync().join()));
      cluster = started;
    }
    return cluster;
  }

  /** A new MiniCluster of {@code taskManagers} task managers; the caller closes it. */
  static MiniCluster start(int taskManagers, int slotsPerTaskManager) {
    Configuration conf = new Configuration();
    conf.setString("rest.bind-address", "127.0.0.1");
    conf.setString("rest.address", "127.0.0.1");
    conf.setString("rest.port", "0");
    conf.setString("restart-strategy.type", "none");
    // Small enough to sit beside Trino and the test servers in a 2 GB test JVM.
    conf.setString("taskmanager.memory.managed.size", "128m");
    // Iceberg plans scans on its static worker pool, whose threads keep the context class loader of the job that
    // created them; a later job on this one shared cluster then trips Flink's leak check when the S3 client's HTTP
    // library looks up its logger through that loader. The check guards against exactly this kind of third-party
    // static, which Flink's own message says to switch off for.
    conf.setString("classloader.check-leaked-classloader", "false");
    MiniCluster started = new MiniCluster(new MiniClusterConfiguration.Builder()
        .setConfiguration(conf)
        .setNumTaskManagers(taskManagers)
        .setNumSlotsPerTaskManager(slotsPerTaskManager)
        .build());
    try {
      started.start();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start Flink's MiniCluster", e);
    }
    return started;
  }

  /** The example CREATE CATALOG statement, placeholders filled in. */
  static String createCatalogStatement(Map<String, String> placeholders) {
    return Examples.statement(Examples.filled("flink/create-catalog.sql", placeholders));
  }

  TableEnvironment env() {
    return env;
  }

  /** Runs a statement; for INSERT, waits until the job has finished. */
  void execute(String sql) {
    TableResult result = env.executeSql(sql);
    try {
      result.await();
    } catch (Exception e) {
      throw new IllegalStateException("Flink statement failed: " + sql, e);
    }
  }

  List<Row> rows(String sql) {
    List<Row> rows = new ArrayList<>();
    try (CloseableIterator<Row> it = env.executeSql(sql).collect()) {
      it.forEachRemaining(rows::add);
    } catch (Exception e) {
      throw new IllegalStateException("Flink query failed: " + sql, e);
    }
    return rows;
  }

  void close() {
    for (String name : env.listCatalogs()) {
      env.getCatalog(name).ifPresent(org.apache.flink.table.catalog.Catalog::close);
    }
  }
}
