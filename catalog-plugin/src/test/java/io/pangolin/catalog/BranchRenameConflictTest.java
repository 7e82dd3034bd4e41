package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.refs.MergeConflictException;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * A rename on a branch whose source or target the parent changed since the base is a conflict that names it and
 * applies nothing; renames that swap names are refused with how to merge them.
 */
class BranchRenameConflictTest extends BranchRenameScene {

  @Test
  void aRenameWhoseSourceMainCommittedIsAConflict() {
    assertRenameConflicts(main -> {
      Table orders = main.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "on-main")).commit();
    }, "sales.orders");
  }

  @Test
  void aRenameWhoseSourceMainDroppedIsAConflict() {
    assertRenameConflicts(main -> main.dropTable(ORDERS, false), "sales.orders");
  }

  @Test
  void aRenameWhoseSourceMainRenamedIsAConflict() {
    assertRenameConflicts(main -> main.renameTable(ORDERS, TableIdentifier.of(NS, "orders_main")), "sales.orders");
  }

  @Test
  void aRenameWhoseTargetMainTookIsAConflict() {
    assertRenameConflicts(main -> main.createTable(RENAMED, TestTables.SCHEMA), "archive.orders_2025");
  }

  @Test
  void swappedNamesAreRefusedNamingBothRenamesAndChangeNothing() {
    TableIdentifier other = TableIdentifier.of(NS, "returns");
    TableIdentifier spare = TableIdentifier.of(NS, "spare");
    try (PangolinCatalog main = open("main")) {
      main.createTable(other, TestTables.SCHEMA);
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, spare);
      dev.renameTable(other, ORDERS);
      dev.renameTable(spare, other);
    }
    List<String> rowsBefore = rows();

    assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sales.orders -> sales.returns")
        .hasMessageContaining("sales.returns -> sales.orders")
        .hasMessageContaining("cycle");
    assertThat(rows()).isEqualTo(rowsBefore);
  }

  private void assertRenameConflicts(Consumer<PangolinCatalog> onMain, String conflict) {
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
    }
    try (PangolinCatalog main = open("main")) {
      onMain.accept(main);
    }
    List<String> rowsBefore = rows();
    List<String> keysBefore = LAKE.s3().keys(BUCKET, "");

    assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
        .isInstanceOf(MergeConflictException.class)
        .hasMessageContaining(conflict)
        .hasMessageContaining("Nothing was merged")
        .satisfies(e -> assertThat(((MergeConflictException) e).conflicts()).containsExactly(conflict));
    assertThat(rows()).isEqualTo(rowsBefore);
    assertThat(LAKE.s3().keys(BUCKET, "")).isEqualTo(keysBefore);
  }

}
