package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/**
 * Namespaces per branch (V10) together with renames and drops on a branch (V11): a rename into a namespace that
 * exists only on the branch merges as one move of main's row into the namespace the same merge creates; undrop on a
 * branch restores into the branch's own namespaces, not main's; and on a branch of chosen namespaces it stays inside
 * them.
 */
class BranchNamespaceMovesTest extends GraveyardScene {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");

  @Test
  void aRenameIntoANamespaceCreatedOnTheBranchMergesAsOneMove() throws Exception {
    superuserAdmin().createBranch("acme", "main", "dev", null);
    long ordersId = scene.relationId("acme", "sales", "orders");
    TableIdentifier staged = TableIdentifier.of("staging", "orders");
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev");
        PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      dev.createNamespace(Namespace.of("staging"));
      dev.renameTable(ORDERS, staged);
      assertThat(main.namespaceExists(Namespace.of("staging"))).isFalse();
      assertThat(main.tableExists(ORDERS)).isTrue();

      adminAs(scene.adminA).merge("acme", "main", "dev", "main");

      assertThat(main.namespaceExists(Namespace.of("staging"))).isTrue();
      assertThat(main.tableExists(staged)).isTrue();
      assertThat(main.tableExists(ORDERS)).isFalse();
      assertThat(scene.relationId("acme", "staging", "orders")).as("the same relations row").isEqualTo(ordersId);
      assertThat(graveyard()).isEmpty();
    }
  }

  @Test
  void undropOnABranchRestoresIntoTheBranchsOwnNamespaces() throws Exception {
    superuserAdmin().createBranch("acme", "main", "dev", null);
    PangolinAdmin admin = adminAs(scene.adminA);
    TableIdentifier scratch = TableIdentifier.of("tmp", "scratch");
    try (PangolinCatalog dev = scene.openAs("acme", scene.adminA, "dev");
        PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
      dev.createNamespace(Namespace.of("tmp"));
      dev.createTable(scratch, TestTables.SCHEMA);
      dev.dropTable(scratch, false);

      admin.undrop("acme", "main", "dev", List.of("tmp"), "scratch", OptionalLong.empty(), Optional.empty(),
          Optional.empty());
      assertThat(dev.tableExists(scratch)).isTrue();
      assertThat(main.namespaceExists(Namespace.of("tmp"))).isFalse();

      // A namespace main made after the fork is absent on dev: nothing can be restored into it there.
      dev.dropTable(scratch, false);
      main.createNamespace(Namespace.of("late"));
      String before = dump();
      assertThatThrownBy(() -> admin.undrop("acme", "main", "dev", List.of("tmp"), "scratch", OptionalLong.empty(),
          Optional.of(List.of("late")), Optional.empty()))
          .hasMessageContaining("namespace late does not exist");
      assertThat(dump()).isEqualTo(before);
    }
  }

  @Test
  void undropOnABranchOfChosenNamespacesStaysInsideThem() throws Exception {
    superuserAdmin().createBranch("acme", "main", "scoped", null, List.of(List.of("sales")));
    PangolinAdmin admin = adminAs(scene.adminA);
    try (PangolinCatalog scoped = scene.openAs("acme", scene.adminA, "scoped")) {
      scoped.dropTable(ORDERS, false);
      String before = dump();

      assertThatThrownBy(() -> admin.undrop("acme", "main", "scoped", List.of("sales"), "orders",
          OptionalLong.empty(), Optional.of(List.of("hr")), Optional.empty()))
          .as("hr is absent on a branch of sales only")
          .hasMessageContaining("namespace hr does not exist");
      assertThat(dump()).isEqualTo(before);

      admin.undrop("acme", "main", "scoped", List.of("sales"), "orders", OptionalLong.empty(), Optional.empty(),
          Optional.empty());
      assertThat(scoped.tableExists(ORDERS)).isTrue();
    }
  }
}
