package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.metastore.access.GrantInfo;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.testing.TestTables;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * A rename on a branch merges as a rename: the parent's row moves (same id, grants kept, audited as RENAME, nothing
 * in main's graveyard), chained renames merge as one, and a rename with a commit merges as one move to the new
 * pointer.
 */
class BranchRenameMergeTest extends BranchRenameScene {

  @Test
  void aRenameOnABranchMovesMainsRelationKeepingItsIdentity() {
    long id = relationId(ORDERS);
    String location;
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      location = location(dev.loadTable(RENAMED));
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.tableExists(ORDERS)).isFalse();
      assertThat(location(main.loadTable(RENAMED))).isEqualTo(location);
    }
    assertThat(relationId(RENAMED)).as("the same relations row").isEqualTo(id);
    assertThat(admin.grantsOn(ObjectRef.relation("acme", "main", List.of("archive"), "orders_2025")))
        .extracting(GrantInfo::privilege).containsExactly(Privilege.READ);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void viewsRenamedOnABranchKeepTheirIdentityToo() {
    TableIdentifier view = TableIdentifier.of(NS, "recent");
    TableIdentifier renamed = TableIdentifier.of(NS, "latest");
    try (PangolinCatalog main = open("main")) {
      main.buildView(view).withSchema(new Schema(Types.NestedField.required(1, "id", Types.LongType.get())))
          .withDefaultNamespace(NS).withQuery("spark", "SELECT id FROM orders").create();
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    long id = relationId(view);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameView(view, renamed);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.viewExists(view)).isFalse();
      assertThat(main.viewExists(renamed)).isTrue();
    }
    assertThat(relationId(renamed)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME sales.latest #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aChainOfRenamesMergesAsOneRename() {
    long id = relationId(ORDERS);
    TableIdentifier middle = TableIdentifier.of(NS, "orders_tmp");
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, middle);
      dev.renameTable(middle, RENAMED);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      assertThat(main.listTables(NS)).isEmpty();
      assertThat(main.listTables(ARCHIVE)).containsExactly(RENAMED);
    }
    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
  }

  @Test
  void aRenameAndACommitOnABranchMergeAsOneRenameWithTheNewPointer() {
    long id = relationId(ORDERS);
    String location;
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      Table table = dev.loadTable(RENAMED);
      table.newFastAppend().appendFile(TestTables.dataFile(table, "after-rename")).commit();
      location = location(table);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    try (PangolinCatalog main = open("main")) {
      Table merged = main.loadTable(RENAMED);
      assertThat(location(merged)).isEqualTo(location);
      assertThat(TestTables.currentFiles(merged)).hasSize(2);
    }
    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
  }

  @Test
  void aRenameOnABranchOfABranchMovesItsParentsRowThenMainsRow() {
    long id = relationId(ORDERS);
    admin.createBranch("acme", "main", "feature", "dev");
    try (PangolinCatalog feature = open("feature")) {
      feature.renameTable(ORDERS, RENAMED);
    }
    admin.merge("acme", "main", "feature", "dev");
    try (PangolinCatalog dev = open("dev"); PangolinCatalog main = open("main")) {
      assertThat(dev.tableExists(ORDERS)).isFalse();
      assertThat(dev.tableExists(RENAMED)).isTrue();
      assertThat(main.tableExists(ORDERS)).isTrue();
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aNewTableUnderTheOldNameMergesAsACreateBesideTheRename() {
    long id = relationId(ORDERS);
    try (PangolinCatalog dev = open("dev")) {
      dev.renameTable(ORDERS, RENAMED);
      dev.createTable(ORDERS, TestTables.SCHEMA);
    }

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(RENAMED)).isEqualTo(id);
    assertThat(relationId(ORDERS)).as("a new relation").isNotEqualTo(id);
    assertThat(query("SELECT count(*) FROM pangolin.dropped_relations")).containsExactly("0");
  }

  @Test
  void aRenameOntoANameDroppedOnTheBranchDropsThatRelationOnMainAndMovesThisOne() {
    TableIdentifier old = TableIdentifier.of(ARCHIVE, "orders_2025");
    try (PangolinCatalog main = open("main")) {
      main.createTable(old, TestTables.SCHEMA);
    }
    admin.deleteRef("acme", "main", "dev", false);
    admin.createBranch("acme", "main", "dev", null);
    long id = relationId(ORDERS);
    long oldId = relationId(old);
    try (PangolinCatalog dev = open("dev")) {
      dev.dropTable(old, false);
      dev.renameTable(ORDERS, old);
    }
    long from = lastAuditId();

    admin.merge("acme", "main", "dev", "main");

    assertThat(relationId(old)).isEqualTo(id);
    assertThat(relationAuditSince(from)).containsExactly("DELETE archive.orders_2025 #" + oldId,
        "RENAME archive.orders_2025 #" + id);
    assertThat(query("SELECT relation_id FROM pangolin.dropped_relations WHERE ref_id IS NULL"))
        .as("main's graveyard").containsExactly(String.valueOf(oldId));
  }

}
