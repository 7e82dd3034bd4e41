package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.PangolinConfig;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.iceberg.Table;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What Flink's task managers need: Iceberg's committer opens the catalog on the task manager that runs it
 * ({@code IcebergFilesCommitter.initializeState} loads the table through the job's catalog loader), with the
 * catalog properties the job was built with, so every task manager needs the database login and the master key.
 * Runs a job across two task managers of one slot each, so its two writers cannot share one.
 */
class FlinkTaskManagersIT {

  private static LakeEnv lake;
  private static MiniCluster twoTaskManagers;
  private static FlinkSql flink;

  @BeforeAll
  static void start() {
    lake = LakeEnv.get();
    twoTaskManagers = FlinkSql.start(2, 1);
    flink = FlinkSql.batch(lake, twoTaskManagers);
  }

  @AfterAll
  static void stop() {
    flink.close();
    twoTaskManagers.closeAsync().join();
  }

  @Test
  void anInsertAcrossTwoTaskManagersIsCommittedByACatalogOpenedOnATaskManager() throws Exception {
    flink.execute("CREATE DATABASE lake.tm");
    flink.execute("CREATE TABLE lake.tm.events (id BIGINT, payload STRING)");
    flink.execute("CREATE TEMPORARY TABLE gen (id BIGINT, payload STRING) WITH ("
        + " 'connector' = 'datagen', 'number-of-rows' = '100',"
        + " 'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '100',"
        + " 'fields.payload.length' = '8')");

    Logger catalogLog = (Logger) LoggerFactory.getLogger(PangolinCatalog.class);
    ListAppender<ILoggingEvent> opened = new ListAppender<>();
    opened.start();
    Level level = catalogLog.getLevel();
    catalogLog.setLevel(Level.INFO);
    catalogLog.addAppender(opened);
    AtomicInteger peakSessions = new AtomicInteger();
    AtomicBoolean jobRunning = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> {
      while (jobRunning.get()) {
        peakSessions.accumulateAndGet(lake.pangolinSessions(), Math::max);
        sleepQuietly();
      }
    }, "pangolin-session-sampler");
    sampler.start();
    try {
      flink.execute("INSERT INTO lake.tm.events SELECT id, payload FROM gen");
    } finally {
      jobRunning.set(false);
      sampler.join();
      catalogLog.detachAppender(opened);
      catalogLog.setLevel(level);
    }

    List<String> openingThreads = opened.list.stream()
        .filter(e -> e.getFormattedMessage().startsWith("Opened Pangolin catalog"))
        .map(ILoggingEvent::getThreadName)
        .toList();
    assertThat(openingThreads).as("threads that opened a Pangolin catalog during the job")
        .anyMatch(thread -> thread.contains("IcebergFilesCommitter"));

    try (PangolinCatalog pangolin = lake.pangolin()) {
      Table table = pangolin.loadTable(LakeEnv.id("tm", "events"));
      assertThat(table.currentSnapshot().summary()).containsEntry("added-records", "100");
      assertThat(lake.keys(table.location().substring(("s3://" + LakeEnv.BUCKET + "/").length()) + "/data/"))
          .as("a data file from each writer, one per task manager").hasSizeGreaterThanOrEqualTo(2);
    }
    assertThat(flink.rows("SELECT id FROM lake.tm.events")).extracting(r -> (Long) r.getField(0))
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 100).boxed().toList());
    assertThat(peakSessions.get())
        .as("server sessions while the job ran: every catalog of this JVM (client, job manager and both task"
            + " managers) shares one pool")
        .isBetween(1, PangolinConfig.POOL_MAX_SIZE_DEFAULT);
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
