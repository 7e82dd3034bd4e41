package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.GarbageCollector.Action;
import io.pangolin.catalog.GarbageCollector.Outcome;
import io.pangolin.catalog.GarbageCollector.Report;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * A drop with PURGE deletes nothing; gc after the retention deletes the files of purged tables through the
 * warehouse's FileIO and forgets the rest, leaves alone files another pointer still references, does nothing in a
 * dry run or before the retention ends, needs the GC privilege, and leaves an audit row per collected drop.
 */
class GarbageCollectorTest extends GraveyardScene {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");
  private static final TableIdentifier STAFF = TableIdentifier.of("hr", "staff");

  @Test
  void aPurgeDeletesNothingUntilGcRunsAfterTheRetention() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      Table orders = withData(catalog, ORDERS);
      Table staff = withData(catalog, STAFF);
      List<String> orderKeys = keysOf(orders);
      List<String> staffKeys = keysOf(staff);
      catalog.dropTable(ORDERS, true);
      catalog.dropTable(STAFF, false);
      assertThat(keysOf(orders)).as("a drop with PURGE deletes nothing").isEqualTo(orderKeys);

      Report early = adminAs(scene.adminA).gc("acme", Optional.empty(), false);
      assertThat(early.outcomes()).as("the default retention has not ended").isEmpty();
      assertThat(graveyard()).hasSize(2);

      scene.superuser("UPDATE pangolin.dropped_relations SET retain_until = now() - interval '1 second'");
      String before = dump();
      Report dry = adminAs(scene.adminA).gc("acme", Optional.of("main"), true);
      assertThat(actions(dry)).containsExactly("sales.orders PURGED", "hr.staff FORGOTTEN");
      assertThat(dump()).isEqualTo(before);
      assertThat(keysOf(orders)).isEqualTo(orderKeys);

      long from = lastAuditId();
      Report real = adminAs(scene.adminA).gc("acme", Optional.of("main"), false);
      assertThat(actions(real)).containsExactly("sales.orders PURGED", "hr.staff FORGOTTEN");
      assertThat(real.complete()).isTrue();
      assertThat(keysOf(orders)).isEmpty();
      assertThat(keysOf(staff)).as("dropped without purge: files kept").isEqualTo(staffKeys);
      assertThat(graveyard()).isEmpty();
      assertThat(auditSince(from)).containsExactly(
          "dropped_relations GC sales.orders by " + scene.adminA,
          "dropped_relations GC hr.staff by " + scene.adminA);
    }
  }

  @Test
  void aRetentionOfZeroMakesADropDueAtOnceAndOnlyForLaterDrops() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      Table staff = withData(catalog, STAFF);
      catalog.dropTable(STAFF, true);
      superuserAdmin().setDropRetention("acme", "main", java.time.Duration.ZERO);
      Table orders = withData(catalog, ORDERS);
      catalog.dropTable(ORDERS, true);

      Report report = superuserAdmin().gc("acme", Optional.empty(), false);

      assertThat(actions(report)).containsExactly("sales.orders PURGED");
      assertThat(keysOf(orders)).isEmpty();
      assertThat(keysOf(staff)).as("dropped under the old 7-day retention").isNotEmpty();
      assertThat(graveyard()).containsExactly("hr.staff TABLE purge by " + scene.adminA);
    }
  }

  @Test
  void gcLeavesFilesAnotherPointerStillReferences() throws Exception {
    retention("0 seconds");
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      Table orders = withData(catalog, ORDERS);
      List<String> keys = keysOf(orders);
      String metadata = ((HasTableOperations) orders).operations().current().metadataFileLocation();
      catalog.dropTable(ORDERS, true);
      catalog.registerTable(TableIdentifier.of("hr", "orders_copy"), metadata);
      String before = dump();

      Report report = adminAs(scene.adminA).gc("acme", Optional.empty(), false);

      assertThat(actions(report)).containsExactly("sales.orders IN_USE");
      assertThat(report.outcomes().get(0).detail()).contains("still points into", "undrop --id");
      assertThat(report.complete()).isFalse();
      assertThat(keysOf(orders)).isEqualTo(keys);
      assertThat(dump()).isEqualTo(before);
      assertThat(TestTables.currentFiles(catalog.loadTable(TableIdentifier.of("hr", "orders_copy")))).hasSize(1);
    }
  }

  /**
   * A dropped table whose metadata claims files of another namespace's table (a data file, and data written
   * through write.data.path pointing into that table) and of another tenant's table: gc deletes only what lies under
   * the dropped table's own recorded location, proven by listing S3Proxy before and after, and reports the rest.
   */
  @Test
  void gcDeletesOnlyUnderTheDroppedTablesOwnLocationWhateverItsMetadataClaims() throws Exception {
    retention("0 seconds");
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA);
        PangolinCatalog globex = scene.openAs("globex", scene.adminB)) {
      Table staff = withData(catalog, STAFF);
      Table theirs = withData(globex, TableIdentifier.of("ops", "events"));
      String staffFile = TestTables.currentFiles(staff).iterator().next();
      String theirFile = TestTables.currentFiles(theirs).iterator().next();
      Table orders = withData(catalog, ORDERS);
      orders.newAppend().appendFile(DataFiles.builder(PartitionSpec.unpartitioned()).withPath(staffFile)
          .withFormat(FileFormat.PARQUET).withFileSizeInBytes(10).withRecordCount(1).build())
          .appendFile(DataFiles.builder(PartitionSpec.unpartitioned()).withPath(theirFile)
          .withFormat(FileFormat.PARQUET).withFileSizeInBytes(10).withRecordCount(1).build()).commit();
      String staffLocation = ((HasTableOperations) staff).operations().current().location();
      orders.updateProperties().set("write.data.path", staffLocation + "/data").commit();
      orders.refresh();
      orders.newAppend().appendFile(TestTables.dataFile(orders, "planted-in-staff")).commit();
      List<String> acmeBefore = s3.keys("acl-acme", "");
      List<String> globexBefore = s3.keys("acl-globex", "");
      List<String> staffKeys = keysOf(staff);
      List<String> orderKeys = keysOf(orders);
      assertThat(staffKeys).as("the planted data file lies in staff's directory")
          .anyMatch(k -> k.contains("planted-in-staff"));
      catalog.dropTable(ORDERS, true);

      Report report = adminAs(scene.adminA).gc("acme", Optional.empty(), false);

      assertThat(actions(report)).containsExactly("sales.orders PURGED");
      assertThat(report.outcomes().get(0).detail())
          .contains("left alone 3 file(s) its metadata lists outside", staffFile, theirFile);
      assertThat(keysOf(orders)).as("everything under its own location is gone").isEmpty();
      assertThat(keysOf(staff)).as("the other namespace's table keeps every file").isEqualTo(staffKeys);
      assertThat(s3.keys("acl-globex", "")).as("the other tenant keeps every file").isEqualTo(globexBefore);
      List<String> acmeAfter = new java.util.ArrayList<>(acmeBefore);
      acmeAfter.removeAll(orderKeys);
      assertThat(s3.keys("acl-acme", "")).as("acme lost exactly the dropped table's own files").isEqualTo(acmeAfter);
      assertThat(TestTables.currentFiles(catalog.loadTable(STAFF))).contains(staffFile);
    }
  }

  /** What Spark's DROP TABLE ... PURGE does: a plain drop, then deleting every reachable file through the table's io. */
  @Test
  void anEnginesOwnPurgeAfterAPlainDropIsHeldBackForGc() throws Exception {
    retention("0 seconds");
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      Table orders = withData(catalog, ORDERS);
      List<String> keys = keysOf(orders);
      catalog.dropTable(ORDERS, false);
      CatalogUtil.dropTableData(orders.io(), ((HasTableOperations) orders).operations().current());

      assertThat(keysOf(orders)).isEqualTo(keys);
      assertThat(graveyard()).containsExactly("sales.orders TABLE purge by " + scene.adminA);
      assertThat(actions(adminAs(scene.adminA).gc("acme", Optional.empty(), false)))
          .containsExactly("sales.orders PURGED");
      assertThat(keysOf(orders)).isEmpty();
    }
  }

  @Test
  void gcNeedsTheGcPrivilege() throws Exception {
    retention("0 seconds");
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      withData(catalog, ORDERS);
      catalog.dropTable(ORDERS, true);
    }
    String before = dump();
    assertThatThrownBy(() -> adminAs(scene.reader).gc("acme", Optional.of("main"), false))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("principal '" + scene.reader + "'").hasMessageContaining("GC");
    assertThat(dump()).isEqualTo(before);

    scene.admin(scene.adminA).grant(scene.reader, Privilege.GC, ObjectRef.catalog("acme", "main"));
    assertThat(actions(adminAs(scene.reader).gc("acme", Optional.of("main"), false)))
        .containsExactly("sales.orders PURGED");
  }

  private static Table withData(PangolinCatalog catalog, TableIdentifier id) {
    Table table = catalog.loadTable(id);
    table.newAppend().appendFile(TestTables.dataFile(table, "rows")).commit();
    return catalog.loadTable(id);
  }

  private static List<String> actions(Report report) {
    return report.outcomes().stream().map(GarbageCollectorTest::action).toList();
  }

  private static String action(Outcome o) {
    return o.dropped().qualifiedName() + " " + (o.action() == Action.FAILED ? "FAILED " + o.detail() : o.action());
  }
}
