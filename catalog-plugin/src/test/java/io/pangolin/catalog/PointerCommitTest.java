package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.view.ViewMetadata;
import org.apache.iceberg.view.ViewOperations;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole outcome matrix of {@link PointerCommit}, driven through table (and view) operations with faults
 * injected below the catalog's pool: for each {@link CommitOutcome}, what the engine is told, what becomes of the
 * new metadata file and the pointer, and what the operations' {@code current()} is afterwards. The last part
 * covers the reliance on Iceberg's refresh-after-commit: after an answered swap the committed metadata is
 * current without reading the pointer; after a lost answer the pointer is read again, and shows a later commit.
 */
class PointerCommitTest {

  private static final TableIdentifier TABLE = CommitScene.TABLE;
  private static final TableIdentifier VIEW = TableIdentifier.of("ns", "recent");
  private static final String STATUS = "pg_xact_status";
  private static final String LOAD = "pangolin.load_pointer(";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static TestS3 s3;

  private final AtomicInteger pointerLoads = new AtomicInteger();
  private final AtomicReference<Runnable> whileSettling = new AtomicReference<>();
  private CommitScene scene;
  private FaultInjectingDataSource faulty;
  private PangolinCatalog writer;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("outcome-key", "outcome-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    scene = new CommitScene(s3, "outcome-" + BUCKETS.incrementAndGet());
    writer = scene.openFaulty(List.of(STATUS, LOAD), sql -> {
      if (sql.contains(LOAD)) {
        pointerLoads.incrementAndGet();
        return;
      }
      Runnable once = whileSettling.getAndSet(null);
      if (once != null) {
        once.run();
      }
    });
    faulty = scene.faulty();
  }

  @AfterEach
  void tearDown() {
    faulty.setDown(false);
    writer.close();
  }

  @Test
  void answeredMakesTheCommittedMetadataCurrentWithoutReadingThePointer() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();

    ops.commit(base, changed(base, "answered"));
    int loadsBefore = pointerLoads.get();
    TableMetadata current = ops.current();

    assertThat(pointerLoads.get()).as("the answer said what is current; no refresh").isEqualTo(loadsBefore);
    assertThat(scene.newFiles(before)).containsExactly(scene.pointer("events"));
    assertThat(current.metadataFileLocation()).isEqualTo(scene.pointer("events"));
    assertThat(current.properties()).containsEntry("step", "answered");
  }

  @Test
  void conflictFailsDeletesTheNewFileAndLeavesTheStaleStateForTheRetry() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    commitElsewhere("first");
    String winner = scene.pointer("events");
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(() -> ops.commit(base, changed(base, "second"))).isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("another writer committed first");
    assertThat(scene.metadataFiles()).as("the uncommitted file was deleted").isEqualTo(before);
    assertThat(scene.pointer("events")).isEqualTo(winner);
    assertThat(ops.current()).as("Iceberg refreshes before its retry, not after a failure").isSameAs(base);
    assertThat(ops.refresh().metadataFileLocation()).isEqualTo(winner);
  }

  @Test
  void abortedByTheServerFailsAndDeletesTheNewFile() throws Exception {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    String pointerBefore = scene.pointer("events");

    try (Connection lock = scene.lockPointerRow("events")) {
      assertThatThrownBy(() -> ops.commit(base, changed(base, "blocked")))
          .isInstanceOf(CommitFailedException.class).hasMessageContaining("rolled it back");
      lock.commit();
    }
    assertThat(scene.metadataFiles()).isEqualTo(before);
    assertThat(scene.pointer("events")).isEqualTo(pointerBefore);
    assertThat(ops.current()).isSameAs(base);
  }

  @Test
  void lostAndNotLandedFailsAndDeletesTheNewFile() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    String pointerBefore = scene.pointer("events");
    scene.arm(Fault.BEFORE_SEND, false);

    assertThatThrownBy(() -> ops.commit(base, changed(base, "lost"))).isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("the change was not applied");
    assertThat(faulty.faultsBeforeSend()).isEqualTo(1);
    assertThat(scene.metadataFiles()).isEqualTo(before);
    assertThat(scene.pointer("events")).isEqualTo(pointerBefore);
    assertThat(ops.current()).isSameAs(base);
  }

  @Test
  void lostAndLandedSucceedsAndReadsThePointerAgain() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    scene.arm(Fault.AFTER_APPLY, false);

    ops.commit(base, changed(base, "landed"));
    int loadsBefore = pointerLoads.get();
    TableMetadata current = ops.current();

    assertThat(faulty.faultsAfterApply()).isEqualTo(1);
    assertThat(pointerLoads.get()).as("the state after a lost answer is read again").isGreaterThan(loadsBefore);
    assertThat(scene.newFiles(before)).containsExactly(scene.pointer("events"));
    assertThat(current.metadataFileLocation()).isEqualTo(scene.pointer("events"));
    assertThat(current.properties()).containsEntry("step", "landed");
  }

  @Test
  void lostAndLandedShowsACommitThatLandedOnTopOfIt() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    scene.arm(Fault.AFTER_APPLY, false);
    whileSettling.set(() -> commitElsewhere("on top"));

    ops.commit(base, changed(base, "landed"));
    TableMetadata current = ops.current();

    Set<String> added = scene.newFiles(before);
    assertThat(added).as("both commits' files are kept").hasSize(2).contains(scene.pointer("events"));
    assertThat(current.metadataFileLocation()).as("not the file this commit wrote").isEqualTo(scene.pointer("events"));
    assertThat(current.properties()).containsEntry("step", "on top");
    assertThat(current.previousFiles()).anyMatch(entry -> added.contains(entry.file()));
  }

  @Test
  void unknownKeepsTheNewFileAndTellsTheEngine() {
    TableOperations ops = writer.newTableOps(TABLE);
    TableMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    scene.arm(Fault.AFTER_APPLY, true);

    assertThatThrownBy(() -> ops.commit(base, changed(base, "unknown")))
        .isInstanceOf(CommitStateUnknownException.class);
    assertThat(ops.current()).isSameAs(base);
    faulty.setDown(false);
    assertThat(scene.newFiles(before)).as("the swap was applied; its file is kept").containsExactly(scene.pointer("events"));
    try (PangolinCatalog reader = scene.open(null)) {
      assertThat(reader.newTableOps(TABLE).current().properties()).containsEntry("step", "unknown");
    }
  }

  @Test
  void viewsShareTheProtocol() {
    try (PangolinCatalog catalog = scene.open(null)) {
      catalog.buildView(VIEW).withSchema(TestTables.SCHEMA).withDefaultNamespace(Namespace.of("ns"))
          .withQuery("spark", "SELECT 1").create();
    }
    ViewOperations ops = writer.newViewOps(VIEW);
    ViewMetadata base = ops.current();
    Set<String> before = scene.metadataFiles();
    scene.arm(Fault.BEFORE_SEND, false);

    assertThatThrownBy(() -> ops.commit(base, ViewMetadata.buildFrom(base).setProperties(Map.of("step", "lost"))
        .build())).isInstanceOf(CommitFailedException.class).hasMessageContaining("view " + VIEW);
    assertThat(scene.metadataFiles()).isEqualTo(before);

    scene.arm(Fault.AFTER_APPLY, false);
    ops.commit(base, ViewMetadata.buildFrom(base).setProperties(Map.of("step", "landed")).build());
    assertThat(ops.current().properties()).containsEntry("step", "landed");
    assertThat(ops.current().metadataFileLocation()).isEqualTo(scene.pointer("recent"));
  }

  private static TableMetadata changed(TableMetadata base, String step) {
    return TableMetadata.buildFrom(base).setProperties(Map.of("step", step)).build();
  }

  private void commitElsewhere(String step) {
    try (PangolinCatalog other = scene.open(null)) {
      other.loadTable(TABLE).updateProperties().set("step", step).commit();
    }
  }
}
