package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.testing.JdbcLayoutClients;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

/**
 * A dropped table or view is kept, invisible, whoever drops it and however; its name is free at once; undrop
 * restores it with its history, under its name or another, and refuses clearly (changing nothing) when it cannot.
 */
class UndropTest extends GraveyardScene {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");

  @Test
  void dropsByThePluginAndByJdbcCatalogAreKeptAndTheNameIsFreeAtOnce() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      assertThat(catalog.dropTable(ORDERS, true)).isTrue();
      assertThat(catalog.tableExists(ORDERS)).isFalse();
      catalog.createTable(ORDERS, TestTables.SCHEMA);
      assertThat(catalog.tableExists(ORDERS)).as("the name is free at once").isTrue();
    }
    try (JdbcCatalog jdbc = JdbcLayoutClients.jdbcCatalog(scene.url, "acme_main", s3, "acl-acme", scene.adminA,
        scene.password())) {
      assertThat(jdbc.dropTable(TableIdentifier.of("hr", "staff"), false)).isTrue();
    }
    assertThat(graveyard()).containsExactly(
        "sales.orders TABLE purge by " + scene.adminA,
        "hr.staff TABLE keep by " + scene.adminA);
    assertThat(superuserAdmin().listDropped("acme", "main")).extracting(Graveyard.Dropped::qualifiedName)
        .containsExactly("hr.staff", "sales.orders");
  }

  @Test
  void undropRestoresTheTableWithItsHistoryUnderItsNameOrANewOne() throws Exception {
    PangolinAdmin admin = adminAs(scene.adminA);
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      Table orders = catalog.loadTable(ORDERS);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "first")).commit();
      orders.newAppend().appendFile(TestTables.dataFile(orders, "second")).commit();
      List<Long> history = snapshots(catalog.loadTable(ORDERS));
      catalog.dropTable(ORDERS, true);
      long from = lastAuditId();

      Graveyard.Restored restored = admin.undrop("acme", "main", List.of("sales"), "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty());

      assertThat(restored.qualifiedName()).isEqualTo("sales.orders");
      assertThat(snapshots(catalog.loadTable(ORDERS))).isEqualTo(history).hasSize(2);
      assertThat(TestTables.currentFiles(catalog.loadTable(ORDERS))).hasSize(2);
      assertThat(graveyard()).isEmpty();
      assertThat(auditSince(from)).containsExactly(
          "relations INSERT sales.orders by " + scene.adminA,
          "dropped_relations UNDROP sales.orders by " + scene.adminA);

      catalog.dropTable(ORDERS, false);
      admin.undrop("acme", "main", List.of("sales"), "orders", OptionalLong.empty(), Optional.of(List.of("hr")),
          Optional.of("old_orders"));
      assertThat(snapshots(catalog.loadTable(TableIdentifier.of("hr", "old_orders")))).isEqualTo(history);
      assertThat(catalog.tableExists(ORDERS)).isFalse();
    }
  }

  @Test
  void aReaderOfTheDroppedTableIsToldItWasDroppedAndHowToRestoreIt() {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA);
        PangolinCatalog other = scene.openAs("acme", scene.adminA)) {
      Table held = other.loadTable(ORDERS);
      catalog.dropTable(ORDERS, false);
      for (Runnable read : List.<Runnable>of(held::refresh, () -> other.loadTable(ORDERS))) {
        assertThatThrownBy(read::run).isInstanceOf(NoSuchTableException.class)
            .hasMessageContaining("sales.orders")
            .hasMessageContaining("dropped at")
            .hasMessageContaining("pangolin table undrop --tenant acme --catalog main sales.orders");
      }
    }
  }

  @Test
  void undropRefusesATakenNameAMissingNamespaceAndAnAmbiguousNameChangingNothing() throws Exception {
    PangolinAdmin admin = adminAs(scene.adminA);
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      catalog.dropTable(ORDERS, false);
      catalog.createTable(ORDERS, TestTables.SCHEMA);
      String before = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", List.of("sales"), "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty()))
          .isInstanceOf(ObjectExistsException.class)
          .hasMessageContaining("sales.orders is taken").hasMessageContaining("--as");
      assertThat(dump()).isEqualTo(before);

      catalog.dropTable(ORDERS, false);
      before = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", List.of("sales"), "orders", OptionalLong.empty(),
          Optional.empty(), Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Several").hasMessageContaining("--id");
      assertThat(dump()).isEqualTo(before);

      catalog.dropTable(TableIdentifier.of("hr", "staff"), false);
      catalog.dropNamespace(Namespace.of("hr"));
      before = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", List.of("hr"), "staff", OptionalLong.empty(),
          Optional.empty(), Optional.empty()))
          .isInstanceOf(NoSuchObjectException.class)
          .hasMessageContaining("namespace hr does not exist").hasMessageContaining("Create the namespace");
      assertThat(dump()).isEqualTo(before);
      admin.undrop("acme", "main", List.of("hr"), "staff", OptionalLong.empty(), Optional.of(List.of("sales")),
          Optional.of("staff"));
      assertThat(catalog.tableExists(TableIdentifier.of("sales", "staff"))).isTrue();
    }
  }

  @Test
  void undropNeedsTheUndropPrivilege() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.adminA)) {
      catalog.dropTable(TableIdentifier.of("sales", "returns"), false);
    }
    PangolinAdmin reader = adminAs(scene.reader);
    assertThat(reader.listDropped("acme", "main")).extracting(Graveyard.Dropped::qualifiedName)
        .as("visible as the table was").containsExactly("sales.returns");
    String before = dump();
    assertThatThrownBy(() -> reader.undrop("acme", "main", List.of("sales"), "returns", OptionalLong.empty(),
        Optional.empty(), Optional.empty()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("principal '" + scene.reader + "'").hasMessageContaining("UNDROP");
    assertThat(dump()).isEqualTo(before);

    scene.grant(scene.adminA, scene.reader, "UNDROP", "acme", "sales", null);
    reader.undrop("acme", "main", List.of("sales"), "returns", OptionalLong.empty(), Optional.empty(),
        Optional.empty());
    assertThat(auditSince(0)).last().isEqualTo("dropped_relations UNDROP sales.returns by " + scene.reader);
    assertThat(TestPostgres.get().user()).isNotEqualTo(scene.reader);
  }

  private static List<Long> snapshots(Table table) {
    return java.util.stream.StreamSupport.stream(table.snapshots().spliterator(), false)
        .map(Snapshot::snapshotId).toList();
  }
}
