package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The decision after a lost answer to the pointer swap, with the fault injected below the catalog's pool: the
 * engine's outcome and what happens to the new metadata.json follow the fate of the swap's transaction.
 */
class SettleLostCommitTest {

  private static final TableIdentifier TABLE = CommitScene.TABLE;
  private static final String STATUS = "pg_xact_status";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static TestS3 s3;

  private final AtomicInteger statusQueries = new AtomicInteger();
  private CommitScene scene;
  private FaultInjectingDataSource faulty;
  private PangolinCatalog writer;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("settle-key", "settle-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    scene = new CommitScene(s3, "settle-" + BUCKETS.incrementAndGet());
    writer = scene.openFaulty(List.of(STATUS), sql -> statusQueries.incrementAndGet());
    faulty = scene.faulty();
  }

  @AfterEach
  void tearDown() {
    faulty.setDown(false);
    writer.close();
  }

  @Test
  void committedMeansTheCommitLanded() {
    scene.arm(Fault.AFTER_APPLY, false);
    Set<String> before = scene.metadataFiles();
    DataFile file = append();

    assertThat(faulty.faultsAfterApply()).isEqualTo(1);
    assertThat(scene.pointer("events")).isIn(scene.newFiles(before));
    assertThat(landed(file)).isTrue();
  }

  @Test
  void abortedMeansFailedAndTheNewFileIsDeleted() {
    scene.arm(Fault.BEFORE_SEND, false);
    Set<String> before = scene.metadataFiles();
    String pointerBefore = scene.pointer("events");

    assertThatThrownBy(this::append).isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("the change was not applied");
    assertThat(faulty.faultsBeforeSend()).isEqualTo(1);
    assertThat(scene.pointer("events")).isEqualTo(pointerBefore);
    assertThat(scene.metadataFiles()).as("the uncommitted metadata.json was deleted").isEqualTo(before);
  }

  @Test
  void inProgressThenCommittedIsWaitedFor() throws Exception {
    scene.arm(Fault.LOST_WHILE_RUNNING, false);
    Set<String> before = scene.metadataFiles();
    try (Connection lock = scene.lockPointerRow("events")) {
      Table table = writer.loadTable(TABLE);
      DataFile file = TestTables.dataFile(table, "running");
      AppendFiles append = table.newAppend().appendFile(file);
      CompletableFuture<Void> commit = CompletableFuture.runAsync(append::commit);
      // The swap waits on the row lock, so each status query of the settle step finds it in progress.
      while (statusQueries.get() < 2) {
        assertThat(commit).isNotDone();
        Thread.sleep(10);
      }
      lock.commit();
      commit.get(30, TimeUnit.SECONDS);

      assertThat(faulty.faultsWhileRunning()).isEqualTo(1);
      assertThat(scene.pointer("events")).isIn(scene.newFiles(before));
      assertThat(landed(file)).isTrue();
    }
  }

  @Test
  void unreachableMeansUnknownAndTheNewFileIsKept() {
    scene.arm(Fault.AFTER_APPLY, true);
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(this::append).isInstanceOf(CommitStateUnknownException.class);
    faulty.setDown(false);
    assertThat(scene.pointer("events")).as("the swap was applied; its file is kept").isIn(scene.newFiles(before));
    try (PangolinCatalog reader = scene.open(null)) {
      reader.loadTable(TABLE);
    }
  }

  @Test
  void aSwapBlockedPastTheServerSideLockTimeoutIsACertainFailure() throws Exception {
    Set<String> before = scene.metadataFiles();
    String pointerBefore = scene.pointer("events");
    try (Connection lock = scene.lockPointerRow("events")) {
      assertThatThrownBy(this::append).isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("rolled it back");
      lock.commit();
    }
    assertThat(scene.pointer("events")).isEqualTo(pointerBefore);
    assertThat(scene.metadataFiles()).isEqualTo(before);
    assertThat(statusQueries.get()).as("a definite answer needs no settling").isZero();
  }

  private DataFile append() {
    Table table = writer.loadTable(TABLE);
    DataFile file = TestTables.dataFile(table, "append");
    table.newAppend().appendFile(file).commit();
    return file;
  }

  private boolean landed(DataFile file) {
    try (PangolinCatalog reader = scene.open(null)) {
      return TestTables.additionsInChain(reader.loadTable(TABLE)).containsKey(file.location());
    }
  }
}
