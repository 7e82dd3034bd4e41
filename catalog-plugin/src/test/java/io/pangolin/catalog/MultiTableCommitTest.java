package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.AclScene;
import io.pangolin.testing.FaultInjectingDataSource;
import io.pangolin.testing.FaultInjectingDataSource.Fault;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.BaseTransaction;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Commits to several tables at once ({@link PangolinCatalog#commitTransaction}) land whole or not at all: after
 * every failure both pointers are where they were and no metadata.json written for the commit is left in the
 * bucket. Faults are injected below the catalog's pool into the transaction's statements, counted in the order
 * they run: the swap of ns.events (1), the swap of ns.other (2), the COMMIT (3).
 */
class MultiTableCommitTest {

  private static final TableIdentifier EVENTS = CommitScene.TABLE;
  private static final TableIdentifier OTHER = TableIdentifier.of("ns", "other");
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private static TestS3 s3;

  private final AtomicInteger statements = new AtomicInteger();
  private final AtomicReference<Plan> plan = new AtomicReference<>(new Plan(0, Fault.NONE, false, () -> { }));
  private CommitScene scene;
  private FaultInjectingDataSource faulty;
  private PangolinCatalog writer;

  /** At transaction statement {@code at} (1-based): run {@code before}, then inject {@code fault}. */
  private record Plan(int at, Fault fault, boolean takeTheServerDown, Runnable before) {}

  @BeforeAll
  static void start() {
    s3 = TestS3.start("multi-key", "multi-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void setUp() {
    scene = new CommitScene(s3, "multi-" + BUCKETS.incrementAndGet());
    try (PangolinCatalog catalog = scene.open(null)) {
      catalog.buildTable(OTHER, TestTables.SCHEMA).withProperty(TableProperties.COMMIT_NUM_RETRIES, "0").create();
    }
    PGSimpleDataSource real = TestCatalogs.dataSource(scene.url());
    // Server-side limits of the transaction become 2 s; a lost answer is settled within 4 s.
    real.setSocketTimeout(4);
    faulty = new FaultInjectingDataSource(real,
        sql -> sql.contains("pangolin.swap_pointer(") || sql.equals("COMMIT"), sql -> {
          Plan now = plan.get();
          if (statements.incrementAndGet() != now.at()) {
            return Fault.NONE;
          }
          now.before().run();
          if (now.takeTheServerDown()) {
            faulty.setDown(true);
          }
          return now.fault();
        });
    writer = scene.open(faulty);
  }

  @AfterEach
  void tearDown() {
    faulty.setDown(false);
    writer.close();
  }

  @Test
  void bothTablesLand() {
    Set<String> before = scene.metadataFiles();
    Appended events = append(EVENTS, "both");
    Appended other = append(OTHER, "both");

    writer.commitTransaction(List.of(events.commit(), other.commit()));

    Set<String> written = scene.newFiles(before);
    assertThat(written).hasSize(2).contains(scene.pointer("events"), scene.pointer("other"));
    try (PangolinCatalog reader = scene.open(null)) {
      assertThat(TestTables.currentFiles(reader.loadTable(EVENTS))).containsExactly(events.file().location());
      assertThat(TestTables.currentFiles(reader.loadTable(OTHER))).containsExactly(other.file().location());
    }
    assertThat(TestTables.currentFiles(writer.loadTable(OTHER))).as("the writer's own cache shows the commit")
        .containsExactly(other.file().location());
  }

  @Test
  void aStaleRequirementOnTheSecondTableWritesAndMovesNothing() {
    Appended events = append(EVENTS, "stale");
    Appended other = append(OTHER, "stale");
    try (PangolinCatalog elsewhere = scene.open(null)) {
      Table table = elsewhere.loadTable(OTHER);
      table.newAppend().appendFile(TestTables.dataFile(table, "meanwhile")).commit();
    }
    Set<String> before = scene.metadataFiles();
    Map<String, String> pointers = pointers();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(events.commit(), other.commit())))
        .isInstanceOf(CommitFailedException.class).hasMessageContaining("table ns.other")
        .hasMessageContaining("nothing of the transaction was applied");

    assertThat(pointers()).isEqualTo(pointers);
    assertThat(scene.metadataFiles()).as("no metadata file was written").isEqualTo(before);
  }

  @Test
  void aConcurrentCommitToTheSecondTableBetweenLoadAndSwapFailsTheWhole() {
    Appended events = append(EVENTS, "race");
    Appended other = append(OTHER, "race");
    AtomicReference<String> moved = new AtomicReference<>();
    plan.set(new Plan(1, Fault.NONE, false, () -> {
      try (PangolinCatalog elsewhere = scene.open(null)) {
        elsewhere.loadTable(OTHER).updateProperties().set("moved", "meanwhile").commit();
      }
      moved.set(scene.pointer("other"));
    }));
    Map<String, String> pointers = pointers();
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(events.commit(), other.commit())))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("Cannot commit to table ns.other: another writer committed first");

    assertThat(moved.get()).isNotEqualTo(pointers.get("other"));
    assertThat(scene.pointer("events")).isEqualTo(pointers.get("events"));
    assertThat(scene.pointer("other")).isEqualTo(moved.get());
    assertThat(scene.newFiles(before)).as("only the concurrent commit's file is left").containsExactly(moved.get());
  }

  @Test
  void aBrokenConnectionAtTheSecondSwapLandsNothing() {
    for (Fault fault : List.of(Fault.BEFORE_SEND, Fault.AFTER_APPLY)) {
      statements.set(0);
      plan.set(new Plan(2, fault, false, () -> { }));
      Appended events = append(EVENTS, "broken");
      Appended other = append(OTHER, "broken");
      Map<String, String> pointers = pointers();
      Set<String> before = scene.metadataFiles();

      assertThatThrownBy(() -> writer.commitTransaction(List.of(other.commit(), events.commit())))
          .as("fault %s", fault).isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("Cannot commit to table ns.other: the connection broke before the transaction was"
              + " committed");

      assertThat(pointers()).as("fault %s", fault).isEqualTo(pointers);
      assertThat(scene.metadataFiles()).as("fault %s: the new files were deleted", fault).isEqualTo(before);
    }
    assertThat(faulty.faultsBeforeSend()).isEqualTo(1);
    assertThat(faulty.faultsAfterApply()).isEqualTo(1);
  }

  @Test
  void aLostAnswerToTheCommitThatCommittedLandsBoth() {
    plan.set(new Plan(3, Fault.AFTER_APPLY, false, () -> { }));
    Appended events = append(EVENTS, "lost");
    Appended other = append(OTHER, "lost");
    Set<String> before = scene.metadataFiles();

    writer.commitTransaction(List.of(events.commit(), other.commit()));

    assertThat(faulty.faultsAfterApply()).isEqualTo(1);
    assertThat(scene.newFiles(before)).containsExactlyInAnyOrder(scene.pointer("events"), scene.pointer("other"));
    assertThat(TestTables.currentFiles(writer.loadTable(OTHER))).containsExactly(other.file().location());
  }

  @Test
  void aCommitThatNeverReachedTheServerIsSettledAsFailed() {
    plan.set(new Plan(3, Fault.BEFORE_SEND, false, () -> { }));
    Appended events = append(EVENTS, "unsent");
    Appended other = append(OTHER, "unsent");
    Map<String, String> pointers = pointers();
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(events.commit(), other.commit())))
        .isInstanceOf(CommitFailedException.class).hasMessageContaining("the transaction was rolled back");

    assertThat(pointers()).isEqualTo(pointers);
    assertThat(scene.metadataFiles()).isEqualTo(before);
  }

  @Test
  void aLostAnswerThatCannotBeSettledIsUnknownAndKeepsTheFiles() {
    plan.set(new Plan(3, Fault.AFTER_APPLY, true, () -> { }));
    Appended events = append(EVENTS, "unknown");
    Appended other = append(OTHER, "unknown");
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(events.commit(), other.commit())))
        .isInstanceOf(CommitStateUnknownException.class);

    faulty.setDown(false);
    assertThat(scene.newFiles(before)).as("the COMMIT was applied; its files are kept")
        .containsExactlyInAnyOrder(scene.pointer("events"), scene.pointer("other"));
  }

  @Test
  void theSameTableTwiceIsRefusedBeforeAnythingIsWritten() {
    Appended first = append(EVENTS, "twice");
    Appended second = append(EVENTS, "twice");
    Map<String, String> pointers = pointers();
    Set<String> before = scene.metadataFiles();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(first.commit(), second.commit())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot commit to table ns.events twice in one transaction");

    assertThat(pointers()).isEqualTo(pointers);
    assertThat(scene.metadataFiles()).isEqualTo(before);
  }

  @Test
  void aPrincipalThatMayWriteOnlyTheFirstTableChangesNeither() throws Exception {
    try (AclScene acl = new AclScene(s3)) {
      acl.grant(acl.adminA, acl.writer, "READ", "acme", "sales", "returns");
      TableIdentifier orders = TableIdentifier.of("sales", "orders");
      TableIdentifier returns = TableIdentifier.of("sales", "returns");
      try (PangolinCatalog catalog = acl.openAs("acme", acl.writer)) {
        TableCommit toOrders = append(catalog, orders, "acl").commit();
        TableCommit toReturns = append(catalog, returns, "acl").commit();
        String dump = acl.dump();
        List<String> files = s3.keys("acl-acme", "");

        assertThatThrownBy(() -> catalog.commitTransaction(List.of(toOrders, toReturns)))
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("lacks WRITE")
            .hasMessageContaining("sales.returns");

        assertThat(acl.dump()).as("no pointer moved").isEqualTo(dump);
        assertThat(s3.keys("acl-acme", "")).filteredOn(k -> k.endsWith(".metadata.json"))
            .as("the new metadata files were deleted")
            .containsExactlyInAnyOrderElementsOf(files.stream().filter(k -> k.endsWith(".metadata.json")).toList());
      }
    }
  }

  private record Appended(TableCommit commit, DataFile file) {}

  private Appended append(TableIdentifier id, String tag) {
    return append(writer, id, tag);
  }

  /** A change appending one new data file to the table as {@code catalog} loads it now, not yet committed. */
  private static Appended append(PangolinCatalog catalog, TableIdentifier id, String tag) {
    Table table = catalog.loadTable(id);
    DataFile file = TestTables.dataFile(table, tag);
    Transaction tx = table.newTransaction();
    tx.newAppend().appendFile(file).commit();
    BaseTransaction staged = (BaseTransaction) tx;
    return new Appended(TableCommit.create(id, staged.startMetadata(), staged.currentMetadata()), file);
  }

  private Map<String, String> pointers() {
    return Map.of("events", scene.pointer("events"), "other", scene.pointer("other"));
  }
}
