package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.refs.MergeConflictException;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.testing.CountingDataSource;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Branches, tags and merge through the Iceberg API: what a branch changes is invisible elsewhere until merged, a
 * merge publishes every change or, on a conflict, names it and changes nothing, tags are read-only, loads on a
 * branch cost what they cost on main, and no branch's expiry or purge deletes files another ref needs.
 */
class BranchCatalogTest {

  private static final String BUCKET = "branches";
  private static final Namespace NS = Namespace.of("sales");
  private static final TableIdentifier ORDERS = TableIdentifier.of(NS, "orders");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("branch-key", "branch-secret", BUCKET);

  private String url;
  private PangolinAdmin admin;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    admin = new PangolinAdmin(TestCatalogs.dataSource(url), Optional.empty());
    try (PangolinCatalog main = open("main")) {
      main.createNamespace(NS);
      Table orders = main.createTable(ORDERS, TestTables.SCHEMA);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "first")).commit();
    }
  }

  private PangolinCatalog open(String ref) {
    return RefCatalogs.open(url, ref);
  }

  @Test
  void branchChangesAreInvisibleOnMainUntilMergedAndMergeCopiesNoFile() {
    admin.createBranch("acme", "main", "dev", null);
    TableIdentifier customers = TableIdentifier.of(NS, "customers");
    TableIdentifier returns = TableIdentifier.of(NS, "returns");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      long mainSnapshot = main.loadTable(ORDERS).currentSnapshot().snapshotId();
      Table devOrders = dev.loadTable(ORDERS);
      devOrders.newFastAppend().appendFile(TestTables.dataFile(devOrders, "second")).commit();
      dev.createTable(customers, TestTables.SCHEMA);
      dev.createTable(returns, TestTables.SCHEMA);

      assertThat(main.loadTable(ORDERS).currentSnapshot().snapshotId()).isEqualTo(mainSnapshot);
      assertThat(main.tableExists(customers)).isFalse();
      assertThat(main.listTables(NS)).containsExactly(ORDERS);
      assertThat(dev.listTables(NS)).containsExactlyInAnyOrder(ORDERS, customers, returns);

      String devLocation = location(dev.loadTable(ORDERS));
      List<String> keysBefore = LAKE.s3().keys(BUCKET, "");
      admin.merge("acme", "main", "dev", "main");

      assertThat(LAKE.s3().keys(BUCKET, "")).as("a merge writes and deletes no file").isEqualTo(keysBefore);
      main.invalidateTable(ORDERS);
      assertThat(location(main.loadTable(ORDERS))).isEqualTo(devLocation);
      assertThat(main.listTables(NS)).containsExactlyInAnyOrder(ORDERS, customers, returns);
    }
  }

  @Test
  void readersOfMainSeeAllOfAMergeOrNoneOfIt() throws Exception {
    List<TableIdentifier> tables = List.of(ORDERS, TableIdentifier.of(NS, "customers"), TableIdentifier.of(NS, "items"));
    List<String> before = new ArrayList<>();
    List<String> after = new ArrayList<>();
    try (PangolinCatalog main = open("main")) {
      for (TableIdentifier id : tables.subList(1, 3)) {
        main.createTable(id, TestTables.SCHEMA);
      }
    }
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      for (TableIdentifier id : tables) {
        before.add(location(main.loadTable(id)));
        Table table = dev.loadTable(id);
        table.newFastAppend().appendFile(TestTables.dataFile(table, "wap")).commit();
        after.add(location(table));
      }
    }
    List<List<String>> seen = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean merged = new java.util.concurrent.atomic.AtomicBoolean();
    Thread reader = new Thread(() -> {
      try (Connection conn = TestCatalogs.dataSource(url).getConnection();
          java.sql.PreparedStatement stmt = conn.prepareStatement("SELECT metadata_location FROM pangolin.relations"
              + " WHERE name IN ('orders', 'customers', 'items') ORDER BY array_position("
              + "ARRAY['orders', 'customers', 'items'], name)")) {
        boolean last = false;
        while (!last) {
          last = merged.get();
          List<String> state = new ArrayList<>();
          try (ResultSet rs = stmt.executeQuery()) {
            while (rs.next()) {
              state.add(rs.getString(1));
            }
          }
          seen.add(state);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
    reader.start();
    Thread.sleep(50);
    admin.merge("acme", "main", "dev", "main");
    merged.set(true);
    reader.join();
    assertThat(seen).allSatisfy(state -> assertThat(state).isIn(before, after));
    assertThat(seen.get(0)).isEqualTo(before);
    assertThat(seen.get(seen.size() - 1)).isEqualTo(after);
  }

  @Test
  void finishingAMergeThatWasNotAppliedForgetsNothing() throws SQLException {
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      Table orders = dev.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "pending")).commit();
      query("SELECT pangolin_private.finish_merge(f.catalog_id, f.id, 'main', 0)::text FROM pangolin.refs f");
      admin.merge("acme", "main", "dev", "main");
      main.invalidateTable(ORDERS);
      assertThat(location(main.loadTable(ORDERS))).isEqualTo(location(orders));
    }
  }

  @Test
  void tablesDroppedOnABranchStayOnMainUntilMerged() {
    admin.createBranch("acme", "main", "dev", "main");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      assertThat(dev.dropTable(ORDERS, false)).isTrue();
      assertThat(dev.tableExists(ORDERS)).isFalse();
      assertThatThrownBy(() -> dev.loadTable(ORDERS)).isInstanceOf(NoSuchTableException.class);
      assertThat(main.tableExists(ORDERS)).isTrue();

      admin.merge("acme", "main", "dev", "main");
      assertThat(main.tableExists(ORDERS)).isFalse();
    }
  }

  @Test
  void conflictingMergeNamesTheTableAndChangesNothing() throws SQLException {
    admin.createBranch("acme", "main", "dev", null);
    TableIdentifier fresh = TableIdentifier.of(NS, "fresh");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      Table devOrders = dev.loadTable(ORDERS);
      devOrders.newFastAppend().appendFile(TestTables.dataFile(devOrders, "on-dev")).commit();
      dev.createTable(fresh, TestTables.SCHEMA);
      Table mainOrders = main.loadTable(ORDERS);
      mainOrders.newFastAppend().appendFile(TestTables.dataFile(mainOrders, "on-main")).commit();

      List<String> rowsBefore = rows();
      List<String> keysBefore = LAKE.s3().keys(BUCKET, "");
      assertThatThrownBy(() -> admin.merge("acme", "main", "dev", "main"))
          .isInstanceOf(MergeConflictException.class)
          .hasMessageContaining("sales.orders")
          .hasMessageContaining("Nothing was merged")
          .satisfies(e -> assertThat(((MergeConflictException) e).conflicts()).containsExactly("sales.orders"));
      assertThat(rows()).isEqualTo(rowsBefore);
      assertThat(LAKE.s3().keys(BUCKET, "")).isEqualTo(keysBefore);
      assertThat(main.tableExists(fresh)).isFalse();
    }
  }

  @Test
  void mergeOnlyIntoTheParent() {
    admin.createBranch("acme", "main", "dev", null);
    admin.createBranch("acme", "main", "feature", "dev");
    assertThatThrownBy(() -> admin.merge("acme", "main", "feature", "main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'feature'").hasMessageContaining("'dev'");
  }

  @Test
  void branchOfABranchMergesIntoItsParentOnly() {
    admin.createBranch("acme", "main", "dev", null);
    admin.createBranch("acme", "main", "feature", "dev");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev");
        PangolinCatalog feature = open("feature")) {
      Table table = feature.loadTable(ORDERS);
      table.newFastAppend().appendFile(TestTables.dataFile(table, "feature")).commit();
      String featureLocation = location(table);
      admin.merge("acme", "main", "feature", "dev");
      assertThat(location(dev.loadTable(ORDERS))).isEqualTo(featureLocation);
      assertThat(location(main.loadTable(ORDERS))).isNotEqualTo(featureLocation);
      admin.merge("acme", "main", "dev", "main");
      main.invalidateTable(ORDERS);
      assertThat(location(main.loadTable(ORDERS))).isEqualTo(featureLocation);
    }
  }

  @Test
  void tagReadsThePinnedStateAndRefusesWrites() {
    String pinned;
    try (PangolinCatalog main = open("main")) {
      pinned = location(main.loadTable(ORDERS));
      admin.createTag("acme", "main", "v1", "main");
      Table orders = main.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "later")).commit();
      main.dropTable(ORDERS, false);
    }
    try (PangolinCatalog tag = open("v1")) {
      Table orders = tag.loadTable(ORDERS);
      assertThat(location(orders)).isEqualTo(pinned);
      assertThatThrownBy(() -> orders.newFastAppend().appendFile(TestTables.dataFile(orders, "x")).commit())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("tag 'v1'").hasMessageContaining("pangolin branch create");
      assertThatThrownBy(() -> tag.createTable(TableIdentifier.of(NS, "new"), TestTables.SCHEMA))
          .isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> tag.dropTable(ORDERS, false)).isInstanceOf(ForbiddenException.class);
      assertThatThrownBy(() -> tag.createNamespace(Namespace.of("other"))).isInstanceOf(ForbiddenException.class);
      assertThat(location(tag.loadTable(ORDERS))).isEqualTo(pinned);
    }
  }

  @Test
  void unknownRefFailsAtOpenNamingIt() {
    assertThatThrownBy(() -> open("nope"))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("'nope'").hasMessageContaining("pangolin branch create nope");
    assertThatThrownBy(() -> admin.createBranch("acme", "main", "main", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default branch");
  }

  @Test
  void aLoadOnABranchCostsTheSameRoundTripsAsOnMain() {
    admin.createBranch("acme", "main", "dev", null);
    TableIdentifier onBranch = TableIdentifier.of(NS, "branch_only");
    try (PangolinCatalog dev = open("dev")) {
      dev.createTable(onBranch, TestTables.SCHEMA);
    }
    admin.createBranch("acme", "main", "deeper", "dev");
    int onMain = statementsOfALoad("main", ORDERS);
    assertThat(onMain).isEqualTo(1);
    assertThat(statementsOfALoad("dev", ORDERS)).isEqualTo(onMain);
    assertThat(statementsOfALoad("dev", onBranch)).isEqualTo(onMain);
    assertThat(statementsOfALoad("deeper", onBranch)).isEqualTo(onMain);
    try (PangolinCatalog dev = open("dev")) {
      dev.createTable(TableIdentifier.of(NS, "after_fork"), TestTables.SCHEMA);
    }
    try (PangolinCatalog deeper = open("deeper")) {
      assertThat(deeper.tableExists(TableIdentifier.of(NS, "after_fork")))
          .as("a table its parent created after the fork").isFalse();
      assertThat(deeper.tableExists(onBranch)).isTrue();
    }
  }

  private int statementsOfALoad(String ref, TableIdentifier id) {
    CountingDataSource counting = new CountingDataSource(TestCatalogs.dataSource(url));
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put(PangolinConfig.REF, ref);
    props.put(PangolinConfig.POOL_MAX_SIZE, "3");
    try (PangolinCatalog catalog = PangolinCatalogs.open("counted_" + ref, props, counting)) {
      catalog.loadTable(id);
      int before = counting.statements();
      catalog.loadTable(id);
      return counting.statements() - before;
    }
  }

  @Test
  void expiryAndPurgeOnABranchLeaveEveryFileAnotherRefNeeds() {
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      Table devOrders = dev.loadTable(ORDERS);
      String first = TestTables.currentFiles(devOrders).iterator().next();
      devOrders.newDelete().deleteFile(first).commit();
      devOrders.newFastAppend().appendFile(TestTables.dataFile(devOrders, "replacement")).commit();
      devOrders.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();

      Table mainOrders = main.loadTable(ORDERS);
      for (String file : TestTables.currentFiles(mainOrders)) {
        assertThat(LAKE.s3().keys(BUCKET, key(file))).as("main's data file %s", file).isNotEmpty();
      }
      assertThat(LAKE.s3().keys(BUCKET, key(mainOrders.currentSnapshot().manifestListLocation()))).isNotEmpty();

      assertThatThrownBy(() -> dev.dropTable(ORDERS, true))
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("main").hasMessageContaining("without PURGE");
      assertThat(dev.tableExists(ORDERS)).isTrue();

      TableIdentifier own = TableIdentifier.of(NS, "scratch");
      Table scratch = dev.createTable(own, TestTables.SCHEMA);
      scratch.newFastAppend().appendFile(TestTables.dataFile(scratch, "s")).commit();
      String scratchFile = TestTables.currentFiles(scratch).iterator().next();
      assertThat(dev.dropTable(own, true)).isTrue();
      assertThat(LAKE.s3().keys(BUCKET, key(scratchFile))).as("a table only this branch holds is purged").isEmpty();
    }
  }

  @Test
  void tagsKeepFilesThatMainExpires() {
    admin.createTag("acme", "main", "v1", null);
    try (PangolinCatalog main = open("main"); PangolinCatalog tag = open("v1")) {
      Table orders = main.loadTable(ORDERS);
      String first = TestTables.currentFiles(orders).iterator().next();
      orders.newDelete().deleteFile(first).commit();
      orders.expireSnapshots().expireOlderThan(System.currentTimeMillis() + 1).retainLast(1).commit();
      assertThat(LAKE.s3().keys(BUCKET, key(first))).as("the tag's data file").isNotEmpty();
      assertThat(TestTables.currentFiles(tag.loadTable(ORDERS))).containsExactly(first);
    }
  }

  @Test
  void viewsBranchAndMergeLikeTables() {
    admin.createBranch("acme", "main", "dev", null);
    TableIdentifier view = TableIdentifier.of(NS, "recent");
    try (PangolinCatalog main = open("main"); PangolinCatalog dev = open("dev")) {
      dev.buildView(view).withSchema(new Schema(Types.NestedField.required(1, "id", Types.LongType.get())))
          .withDefaultNamespace(NS).withQuery("spark", "SELECT id FROM orders").create();
      assertThat(dev.viewExists(view)).isTrue();
      assertThat(main.viewExists(view)).isFalse();
      admin.merge("acme", "main", "dev", "main");
      assertThat(main.viewExists(view)).isTrue();
    }
  }

  @Test
  void everyRefChangeIsAudited() throws SQLException {
    admin.createBranch("acme", "main", "dev", null);
    try (PangolinCatalog dev = open("dev")) {
      Table orders = dev.loadTable(ORDERS);
      orders.newFastAppend().appendFile(TestTables.dataFile(orders, "audited")).commit();
    }
    admin.merge("acme", "main", "dev", "main");
    admin.createTag("acme", "main", "v1", "dev");
    assertThat(admin.deleteRef("acme", "main", "v1", true)).isTrue();
    assertThat(admin.deleteRef("acme", "main", "v1", true)).isFalse();
    List<String> actions = query("SELECT object_kind || ' ' || action || ' ' || object_name FROM pangolin.audit_log"
        + " WHERE object_kind = 'refs' ORDER BY id");
    assertThat(actions).containsExactly("refs CREATE_BRANCH dev", "refs COMMIT sales.orders@dev", "refs MERGE dev",
        "refs CREATE_TAG v1", "refs DELETE_TAG v1");
  }

  private static String location(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static String key(String location) {
    return location.substring(("s3://" + BUCKET + "/").length());
  }

  private List<String> rows() throws SQLException {
    return query("""
        SELECT 'relation ' || row_to_json(r)::text FROM pangolin.relations r
        UNION ALL SELECT 'ref ' || row_to_json(f)::text FROM pangolin.refs f
        UNION ALL SELECT 'ref_relation ' || row_to_json(x)::text FROM pangolin.ref_relations x
        ORDER BY 1""");
  }

  private List<String> query(String sql) throws SQLException {
    return BranchConformance.query(url, sql);
  }
}
