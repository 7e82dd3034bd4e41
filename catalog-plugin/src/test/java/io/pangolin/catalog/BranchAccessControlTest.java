package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Creating, merging and deleting branches are privileges of their own (CREATE_BRANCH, MERGE, DELETE_BRANCH), and
 * tables on a branch follow the same READ/WRITE/CREATE grants as on main; a refusal changes nothing.
 */
class BranchAccessControlTest {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");
  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("branch-acl-key", "branch-acl-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void branchPrivilegesAreCheckedAndTableGrantsApplyOnBranches() throws Exception {
    try (AclScene scene = new AclScene(s3)) {
      PangolinAdmin writer = admin(scene, scene.writer);
      String before = scene.dump();
      assertThatThrownBy(() -> writer.createBranch("acme", "main", "dev", null))
          .isInstanceOf(RefusedException.class).hasMessageContaining("CREATE_BRANCH");
      assertThat(scene.dump()).isEqualTo(before);

      scene.admin(scene.adminA).grant(scene.writer, Privilege.CREATE_BRANCH, ObjectRef.catalog("acme", "main"));
      writer.createBranch("acme", "main", "dev", null);

      try (PangolinCatalog dev = open(scene, scene.writer); PangolinCatalog readerDev = open(scene, scene.reader)) {
        Table orders = dev.loadTable(ORDERS);
        orders.newFastAppend().appendFile(TestTables.dataFile(orders, "dev")).commit();
        assertThatThrownBy(() -> dev.createTable(TableIdentifier.of("sales", "new_on_dev"), TestTables.SCHEMA))
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("CREATE");
        Table readersView = readerDev.loadTable(ORDERS);
        assertThat(readersView.currentSnapshot()).isNotNull();
        assertThatThrownBy(() -> readersView.newFastAppend().appendFile(TestTables.dataFile(orders, "r")).commit())
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("WRITE");
      }

      String beforeMerge = scene.dump();
      assertThatThrownBy(() -> writer.merge("acme", "main", "dev", "main"))
          .isInstanceOf(RefusedException.class).hasMessageContaining("MERGE");
      assertThat(scene.dump()).isEqualTo(beforeMerge);
      scene.admin(scene.adminA).grant(scene.writer, Privilege.MERGE, ObjectRef.catalog("acme", "main"));
      writer.merge("acme", "main", "dev", "main");

      assertThatThrownBy(() -> writer.deleteRef("acme", "main", "dev", false))
          .isInstanceOf(RefusedException.class).hasMessageContaining("DELETE_BRANCH");
      assertThat(admin(scene, scene.adminA).deleteRef("acme", "main", "dev", false)).isTrue();
    }
  }

  /**
   * A namespace on a branch needs the grants it needs on main; one that exists only on the branch is governed by its
   * nearest namespace on main, or the catalog.
   */
  @Test
  void namespacesOnABranchFollowTheGrantsOfMain() throws Exception {
    try (AclScene scene = new AclScene(s3)) {
      admin(scene, scene.adminA).createBranch("acme", "main", "dev", null);
      List<String> tables = new java.util.ArrayList<>(AclScene.TABLES);
      tables.add("ref_namespaces");
      try (PangolinCatalog dev = open(scene, scene.writer); PangolinCatalog readerDev = open(scene, scene.reader)) {
        String before = AclScene.dump(scene.url, tables);
        assertThatThrownBy(() -> dev.createNamespace(Namespace.of("ops")))
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("CREATE").hasMessageContaining("ops");
        assertThatThrownBy(() -> dev.setProperties(Namespace.of("sales"), Map.of("k", "v")))
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("WRITE");
        assertThatThrownBy(() -> readerDev.createNamespace(Namespace.of("sales", "staging")))
            .isInstanceOf(ForbiddenException.class).hasMessageContaining("CREATE");
        assertThat(AclScene.dump(scene.url, tables)).isEqualTo(before);

        scene.grant(scene.adminA, scene.writer, "CREATE", "acme", null, null);
        dev.createNamespace(Namespace.of("ops"));
        dev.createTable(TableIdentifier.of("ops", "events"), TestTables.SCHEMA);
        assertThat(dev.listTables(Namespace.of("ops"))).containsExactly(TableIdentifier.of("ops", "events"));
        assertThat(readerDev.namespaceExists(Namespace.of("ops")))
            .as("reader holds no grant on the catalog nor under ops").isFalse();
        try (PangolinCatalog main = scene.openAs("acme", scene.adminA)) {
          assertThat(main.namespaceExists(Namespace.of("ops"))).isFalse();
        }
      }
    }
  }

  private static PangolinAdmin admin(AclScene scene, String user) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(scene.url);
    ds.setUser(user);
    ds.setPassword(scene.password());
    return new PangolinAdmin(ds, Optional.empty());
  }

  private static PangolinCatalog open(AclScene scene, String user) {
    Map<String, String> props = io.pangolin.testing.TestCatalogs.properties(scene.url, "acme", "main");
    props.put("jdbc.user", user);
    props.put("jdbc.password", scene.password());
    props.put(PangolinConfig.REF, "dev");
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("lake_dev", props);
    return catalog;
  }
}
