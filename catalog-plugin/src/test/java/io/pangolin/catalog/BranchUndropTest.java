package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.junit.jupiter.api.Test;

/**
 * A drop on a branch is kept in the graveyard with the branch it was dropped from, listed and restored on that branch
 * only (main untouched), under the same UNDROP privilege and audit as on main; gc forgets it after the retention and
 * deletes no file another ref still needs.
 */
class BranchUndropTest extends GraveyardScene {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");
  private static final List<String> SALES = List.of("sales");

  @Test
  void aDropOnABranchIsKeptAndUndroppedOnThatBranchOnlyWithItsHistory() throws Exception {
    branch("dev", null);
    PangolinAdmin admin = adminAs(scene.adminA);
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev");
        PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      Table orders = dev.loadTable(ORDERS);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "first")).commit();
      orders.newAppend().appendFile(TestTables.dataFile(orders, "second")).commit();
      List<Long> history = snapshots(dev.loadTable(ORDERS));
      List<String> mainRows = mainRelations();

      assertThat(dev.dropTable(ORDERS, false)).isTrue();

      assertThat(dev.tableExists(ORDERS)).isFalse();
      assertThatThrownBy(() -> dev.loadTable(ORDERS)).isInstanceOf(NoSuchTableException.class)
          .hasMessageContaining("dropped at")
          .hasMessageContaining("pangolin table undrop --tenant acme --catalog main --ref dev sales.orders");
      assertThat(admin.listDropped("acme", "main")).as("main's graveyard").isEmpty();
      assertThat(admin.listDropped("acme", "main", "dev"))
          .extracting(Graveyard.Dropped::qualifiedName, Graveyard.Dropped::ref, Graveyard.Dropped::purgeRequested)
          .containsExactly(tuple("sales.orders", "dev", false));
      long from = lastAuditId();

      Graveyard.Restored restored = admin.undrop("acme", "main", "dev", SALES, "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty());

      assertThat(restored.qualifiedName()).isEqualTo("sales.orders");
      assertThat(snapshots(dev.loadTable(ORDERS))).isEqualTo(history).hasSize(2);
      assertThat(main.loadTable(ORDERS).currentSnapshot()).as("main never saw the branch's commits").isNull();
      assertThat(mainRelations()).isEqualTo(mainRows);
      assertThat(graveyard()).isEmpty();
      assertThat(changesSince(from)).containsExactly(
          "refs INSERT sales.orders@dev by " + scene.adminA,
          "dropped_relations UNDROP sales.orders@dev by " + scene.adminA);
    }
  }

  @Test
  void undropOnABranchUnderANewNameAndItsRefusalsChangeNothing() throws Exception {
    branch("dev", null);
    PangolinAdmin admin = adminAs(scene.adminA);
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev");
        PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      dev.dropTable(ORDERS, false);
      String before = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", SALES, "orders", OptionalLong.empty(), Optional.empty(),
          Optional.empty()))
          .as("main's graveyard holds no such drop").isInstanceOf(NoSuchObjectException.class)
          .hasMessageContaining("No dropped table or view sales.orders");
      assertThatThrownBy(() -> admin.undrop("acme", "main", "nope", SALES, "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty()))
          .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown branch 'nope'");
      assertThatThrownBy(() -> admin.listDropped("acme", "main", "nope"))
          .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown branch 'nope'");
      dev.createTable(ORDERS, TestTables.SCHEMA);
      String taken = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", "dev", SALES, "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty()))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessageContaining("sales.orders is taken on branch dev").hasMessageContaining("--as");
      assertThat(dump()).isEqualTo(taken);
      assertThat(before).isNotEqualTo(taken);

      admin.undrop("acme", "main", "dev", SALES, "orders", OptionalLong.empty(), Optional.of(SALES),
          Optional.of("orders_old"));

      TableIdentifier old = TableIdentifier.of("sales", "orders_old");
      assertThat(dev.tableExists(old)).isTrue();
      assertThat(main.tableExists(old)).isFalse();
      assertThat(graveyard()).isEmpty();
    }
  }

  @Test
  void undropOnABranchNeedsTheUndropPrivilege() throws Exception {
    branch("dev", null);
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev")) {
      dev.dropTable(TableIdentifier.of("sales", "returns"), false);
    }
    PangolinAdmin reader = adminAs(scene.reader);
    assertThat(reader.listDropped("acme", "main", "dev")).extracting(Graveyard.Dropped::qualifiedName)
        .containsExactly("sales.returns");
    String before = dump();
    assertThatThrownBy(() -> reader.undrop("acme", "main", "dev", SALES, "returns", OptionalLong.empty(),
        Optional.empty(), Optional.empty()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("principal '" + scene.reader + "'").hasMessageContaining("UNDROP");
    assertThat(dump()).isEqualTo(before);

    scene.grant(scene.adminA, scene.reader, "UNDROP", "acme", "sales", null);
    long from = lastAuditId();
    reader.undrop("acme", "main", "dev", SALES, "returns", OptionalLong.empty(), Optional.empty(), Optional.empty());
    assertThat(changesSince(from)).containsExactly(
        "refs INSERT sales.returns@dev by " + scene.reader,
        "dropped_relations UNDROP sales.returns@dev by " + scene.reader);
  }

  @Test
  void aDropMergedIntoABranchIsKeptThereButRenamesAndPurgesOnABranchAreNot() throws Exception {
    branch("dev", null);
    branch("feature", "dev");
    try (PangolinCatalog feature = scene.openAs("acme", scene.adminA, "feature");
        PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev")) {
      feature.dropTable(ORDERS, false);
      superuserAdmin().merge("acme", "main", "feature", "dev");
      assertThat(superuserAdmin().listDropped("acme", "main", "dev")).extracting(Graveyard.Dropped::qualifiedName)
          .containsExactly("sales.orders");
      assertThat(superuserAdmin().listDropped("acme", "main", "feature")).extracting(Graveyard.Dropped::qualifiedName)
          .containsExactly("sales.orders");
      scene.superuser("DELETE FROM pangolin.dropped_relations");

      dev.renameTable(TableIdentifier.of("sales", "returns"), TableIdentifier.of("sales", "refunds"));
      TableIdentifier scratch = TableIdentifier.of("sales", "scratch");
      Table table = dev.createTable(scratch, TestTables.SCHEMA);
      table.newAppend().appendFile(TestTables.dataFile(table, "scratch")).commit();
      List<String> keys = keysOf(table);
      assertThat(keys).isNotEmpty();
      dev.dropTable(scratch, true);

      assertThat(graveyard()).isEmpty();
      assertThat(s3.keys("acl-acme", "")).as("a purge on a branch deletes at once, as before")
          .doesNotContainAnyElementsOf(keys);
    }
  }

  @Test
  void gcForgetsABranchDropAfterItsRetentionAndDeletesNoFileMainShows() throws Exception {
    retention("0 seconds");
    branch("dev", null);
    List<String> keys;
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev");
        PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      Table orders = main.loadTable(ORDERS);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "main")).commit();
      keys = keysOf(main.loadTable(ORDERS));
      dev.dropTable(ORDERS, false);
    }

    GarbageCollector.Report report = adminAs(scene.adminA).gc("acme", Optional.of("main"), false);

    assertThat(report.outcomes()).extracting(o -> o.dropped().qualifiedName() + "@" + o.dropped().ref(),
        GarbageCollector.Outcome::action).containsExactly(tuple("sales.orders@dev", GarbageCollector.Action.FORGOTTEN));
    assertThat(graveyard()).isEmpty();
    try (PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      assertThat(keysOf(main.loadTable(ORDERS))).containsAll(keys);
      assertThat(TestTables.currentFiles(main.loadTable(ORDERS))).hasSize(1);
    }
  }

  @Test
  void gcKeepsAPurgedTablesFilesWhileABranchStillHoldsItAndDeletesThemOnceNoneDoes() throws Exception {
    retention("0 seconds");
    List<String> keys;
    try (PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      Table orders = main.loadTable(ORDERS);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "main")).commit();
      keys = keysOf(main.loadTable(ORDERS));
      branch("dev", null);
      main.dropTable(ORDERS, false);
    }
    // What an engine's own purge after the drop asks for (see PurgeHold); the plugin refuses PURGE while dev holds it.
    scene.superuser("UPDATE pangolin.dropped_relations SET purge_requested = true");
    PangolinAdmin admin = adminAs(scene.adminA);

    assertThat(admin.gc("acme", Optional.of("main"), false).outcomes()).extracting(GarbageCollector.Outcome::action)
        .containsExactly(GarbageCollector.Action.IN_USE);
    assertThat(s3.keys("acl-acme", "")).containsAll(keys);

    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev")) {
      assertThat(TestTables.currentFiles(dev.loadTable(ORDERS))).hasSize(1);
      dev.dropTable(ORDERS, false);
    }
    assertThat(admin.gc("acme", Optional.of("main"), false).outcomes())
        .extracting(o -> o.dropped().ref(), GarbageCollector.Outcome::action)
        .as("dev's own drop still points there while it waits").containsExactly(
            tuple("main", GarbageCollector.Action.IN_USE), tuple("dev", GarbageCollector.Action.FORGOTTEN));
    assertThat(s3.keys("acl-acme", "")).containsAll(keys);

    assertThat(superuserAdmin().deleteRef("acme", "main", "dev", false)).isTrue();
    assertThat(admin.gc("acme", Optional.of("main"), false).outcomes()).extracting(GarbageCollector.Outcome::action)
        .containsExactly(GarbageCollector.Action.PURGED);
    assertThat(s3.keys("acl-acme", "")).doesNotContainAnyElementsOf(keys);
  }

  private void branch(String name, String from) {
    superuserAdmin().createBranch("acme", "main", name, from);
  }

  private List<String> mainRelations() throws SQLException {
    return query("SELECT row_to_json(r)::text FROM pangolin.relations r ORDER BY id");
  }

  /** Audit rows of relations, refs and the graveyard after {@code from}, as "kind action name by principal". */
  private List<String> changesSince(long from) throws SQLException {
    return query("SELECT object_kind || ' ' || action || ' ' || object_name || ' by ' || principal"
        + " FROM pangolin.audit_log WHERE id > " + from
        + " AND object_kind IN ('relations', 'refs', 'dropped_relations') ORDER BY id");
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return AccessControlSqlTest.rows(s, sql);
    }
  }

  private static List<Long> snapshots(Table table) {
    return java.util.stream.StreamSupport.stream(table.snapshots().spliterator(), false)
        .map(Snapshot::snapshotId).toList();
  }
}
