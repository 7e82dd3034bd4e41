package io.pangolin.boundary;

import static io.pangolin.boundary.EndpointDelegationTest.dataSource;
import static io.pangolin.boundary.EndpointDelegationTest.endpointLogin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.delegation.ActingDataSource;
import io.pangolin.metastore.delegation.SignChecks;
import io.pangolin.metastore.delegation.SignChecks.Access;
import io.pangolin.metastore.delegation.SignChecks.Allowed;
import io.pangolin.metastore.delegation.SignChecks.TableName;
import io.pangolin.testing.TestPostgres;
import io.pangolin.warehouse.StorageLocations;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * pangolin.sign_check, asked as pangolin serve asks it: by the endpoint's login acting for a principal. A table's
 * files are signed for whoever may read or write that table, a new table's for whoever may create it there, and
 * nothing else: not another table's, namespace's or tenant's files, not the warehouse root, not a '..' location.
 */
class SignCheckTest {

  private static final String ROOT = HostileScene.ACME_ROOT;
  private static final String ORDERS = ROOT + "/sales/orders";
  private static final String LEDGER = ROOT + "/finance/ledger";
  private static final String NEW_TABLES = ROOT + "/main/sales";

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void aReaderReadsItsTablesFilesAndMayNotWriteThem(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    SignChecks scoped = actingFor(scene, scene.scoped);
    List<String> files = List.of(ORDERS + "/metadata/00001.json", ORDERS + "/data/part-0.parquet", ORDERS + "/");

    assertThat(scoped.check("acme_main", table("sales", "orders"), Access.READ, files))
        .isEqualTo(new Allowed(scene.acmeWarehouse, scene.acmeCatalog, Optional.of("sales.orders"), ORDERS));
    // A plugin engine's FileIO names no table: the table holding the first location is the one decided on.
    assertThat(scoped.check("acme_main", Optional.empty(), Access.READ, files).table()).contains("sales.orders");
    assertRefused(() -> scoped.check("acme_main", table("sales", "orders"), Access.WRITE, files),
        "permission denied: principal " + scene.scoped + " lacks WRITE on table sales.orders of catalog acme_main");
    assertRefused(() -> scoped.check("acme_main", Optional.empty(), Access.WRITE, files.subList(1, 2)),
        "permission denied: principal " + scene.scoped + " lacks WRITE on table sales.orders of catalog acme_main");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void noOtherTablesNamespacesOrTenantsFilesAreSigned(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    SignChecks scoped = actingFor(scene, scene.scoped);
    String denied = "permission denied: principal " + scene.scoped + " lacks READ on ";

    assertRefused(() -> scoped.check("acme_main", table("sales", "orders"), Access.READ,
        List.of(ORDERS + "/data/a.parquet", LEDGER + "/data/b.parquet")),
        denied + LEDGER + "/data/b.parquet, outside table sales.orders of catalog acme_main");
    // orders and orders_v2 share a prefix but not a directory.
    assertRefused(() -> scoped.check("acme_main", table("sales", "orders"), Access.READ,
        List.of(ORDERS + "_v2/data/a.parquet")),
        denied + ORDERS + "_v2/data/a.parquet, outside table sales.orders of catalog acme_main");
    assertRefused(() -> scoped.check("acme_main", table("finance", "ledger"), Access.READ,
        List.of(LEDGER + "/metadata/00001.json")), denied + "table finance.ledger of catalog acme_main");
    // Another namespace's table, not named: the location is named, not the table the principal does not see.
    assertRefused(() -> scoped.check("acme_main", Optional.empty(), Access.READ,
        List.of(LEDGER + "/metadata/00001.json")),
        denied + "location " + LEDGER + "/metadata/00001.json of catalog acme_main");
    assertRefused(() -> scoped.check("acme_main", Optional.empty(), Access.READ, List.of(ROOT + "/")),
        denied + "location " + ROOT + "/ of catalog acme_main");

    // Another tenant's table is answered as a catalog that does not exist.
    String globexLedger = HostileScene.GX_ROOT + "/gx_hidden_ns/gx_ledger/metadata/00001.json";
    String globex = refusal(() -> scoped.check("globex_main", table("gx_hidden_ns", "gx_ledger"), Access.READ,
        List.of(globexLedger)));
    String nowhere = refusal(() -> scoped.check("nowhere_main", table("gx_hidden_ns", "gx_ledger"), Access.READ,
        List.of(globexLedger)));
    assertThat(globex).isEqualTo(nowhere.replace("nowhere_main", "globex_main"))
        .isEqualTo(denied + "table gx_hidden_ns.gx_ledger of catalog globex_main");
    assertThat(refusal(() -> scoped.check("acme_main", Optional.empty(), Access.READ, List.of(globexLedger))))
        .isEqualTo(denied + "location " + globexLedger + " of catalog acme_main");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void boundsAreCheckedBeforeAnything(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    SignChecks engine = actingFor(scene, scene.engine);
    assertThatThrownBy(() -> engine.check("acme_main", table("sales", "orders"), Access.READ,
        List.of(ORDERS + "/data/../../../finance/ledger/data/b.parquet")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without \".\" or \"..\" segments");
    assertThatThrownBy(() -> engine.check("acme_main", table("sales", "orders"), Access.READ,
        Collections.nCopies(1001, ORDERS + "/data/a.parquet")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1000 s3:// locations");
    assertThatThrownBy(() -> engine.check("acme_main", table("sales", "orders"), Access.READ, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 1000 s3:// locations");
    assertThatThrownBy(() -> engine.check("acme_main", table("sales", "orders"), Access.READ,
        List.of(ORDERS + "/" + "x".repeat(5000))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 4096 characters");
    // Even a holder of every privilege on the catalog writes nothing at the warehouse root.
    assertRefused(() -> engine.check("acme_main", Optional.empty(), Access.WRITE, List.of(ROOT + "/stray.parquet")),
        "permission denied: principal " + scene.engine + " lacks WRITE on location " + ROOT
            + "/stray.parquet of catalog acme_main");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void aCreatorWritesANewTablesDirectoryButNoExistingTablesFiles(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    // A table and a dropped one where new tables of sales go by default.
    scene.superuser("INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location) VALUES ("
        + scene.acmeSales + ", 'kept', 'TABLE', '" + NEW_TABLES + "/kept-1/metadata/00001.json');"
        + " INSERT INTO pangolin.dropped_relations (relation_id, catalog_id, namespace_levels, name, kind,"
        + " metadata_location, created_at, retain_until) VALUES (900003, " + scene.acmeCatalog + ", '{sales}',"
        + " 'gone', 'TABLE', '" + NEW_TABLES + "/gone-2/metadata/00003.json', now(), now() + interval '7 days')");
    SignChecks mover = actingFor(scene, scene.mover);
    String fresh = NEW_TABLES + "/fresh-" + UUID.randomUUID().toString().replace("-", "");

    assertThat(mover.check("acme_main", Optional.empty(), Access.WRITE,
        List.of(fresh + "/metadata/00000.json", fresh + "/data/a.parquet")))
        .isEqualTo(new Allowed(scene.acmeWarehouse, scene.acmeCatalog, Optional.empty(), NEW_TABLES));
    // A staged create names the table that does not exist yet.
    assertThat(mover.check("acme_main", table("sales", "fresh"), Access.WRITE, List.of(fresh + "/metadata/1.json"))
        .location()).isEqualTo(NEW_TABLES);

    String denied = "permission denied: principal " + scene.mover + " lacks WRITE on ";
    assertRefused(() -> mover.check("acme_main", Optional.empty(), Access.WRITE,
        List.of(NEW_TABLES + "/kept-1/data/evil.parquet")), denied + "table sales.kept of catalog acme_main");
    assertRefused(() -> mover.check("acme_main", Optional.empty(), Access.WRITE,
        List.of(fresh + "/data/a.parquet", NEW_TABLES + "/kept-1/data/evil.parquet")),
        denied + "location " + fresh + "/data/a.parquet of catalog acme_main");
    assertRefused(() -> mover.check("acme_main", Optional.empty(), Access.WRITE,
        List.of(NEW_TABLES + "/gone-2/metadata/00003.json")),
        denied + "location " + NEW_TABLES + "/gone-2/metadata/00003.json of catalog acme_main");
    assertRefused(() -> mover.check("acme_main", Optional.empty(), Access.WRITE,
        List.of(NEW_TABLES + "/loose.json")), denied + "location " + NEW_TABLES + "/loose.json of catalog acme_main");
    // CREATE is on sales only; READ on finance makes no new table there.
    String financeFresh = ROOT + "/main/finance/fresh/metadata/1.json";
    assertRefused(() -> mover.check("acme_main", Optional.empty(), Access.WRITE, List.of(financeFresh)),
        denied + "location " + financeFresh + " of catalog acme_main");
    assertRefused(() -> actingFor(scene, scene.scoped).check("acme_main", Optional.empty(), Access.WRITE,
        List.of(fresh + "/metadata/00000.json")), "permission denied: principal " + scene.scoped
        + " lacks WRITE on location " + fresh + "/metadata/00000.json of catalog acme_main");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void aStagedTablesFilesAreSignedForItsCreatorAtTheLocationItStaged(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    SignChecks mover = actingFor(scene, scene.mover);
    String staged = ROOT + "/explicit/staged-" + UUID.randomUUID().toString().replace("-", "");
    String file = staged + "/metadata/00000.json";
    assertRefused(() -> mover.check("acme_main", table("sales", "staged"), Access.WRITE, List.of(file)),
        "permission denied: principal " + scene.mover + " lacks WRITE on table sales.staged of catalog acme_main");

    mover.stage("acme_main", new TableName(List.of("sales"), "staged"), staged + "/");
    assertThat(mover.check("acme_main", table("sales", "staged"), Access.WRITE, List.of(file)))
        .isEqualTo(new Allowed(scene.acmeWarehouse, scene.acmeCatalog, Optional.of("sales.staged"), staged));
    assertThat(mover.check("acme_main", Optional.empty(), Access.READ, List.of(file)).location()).isEqualTo(staged);
    // Only for the principal that staged it, and only for that table's name.
    assertRefused(() -> actingFor(scene, scene.engine).check("acme_main", table("sales", "staged"), Access.WRITE,
        List.of(file)), "permission denied: principal " + scene.engine
        + " lacks WRITE on table sales.staged of catalog acme_main");
    assertRefused(() -> mover.check("acme_main", table("sales", "other"), Access.WRITE, List.of(file)),
        "permission denied: principal " + scene.mover + " lacks WRITE on table sales.other of catalog acme_main");

    // Staging needs CREATE on the namespace, a location in the warehouse, and no other table under or above it.
    assertThat(refusal(() -> mover.stage("acme_main", new TableName(List.of("finance"), "staged"), staged)))
        .isEqualTo("permission denied: principal " + scene.mover + " lacks CREATE on namespace finance");
    assertThat(refusal(() -> mover.stage("acme_main", new TableName(List.of("sales"), "over"), ORDERS + "/inner")))
        .contains("lies under or above another table");
    assertThat(refusal(() -> mover.stage("acme_main", new TableName(List.of("sales"), "over"), ROOT)))
        .contains("lies under or above another table");
    assertThatThrownBy(() -> mover.stage("acme_main", new TableName(List.of("sales"), "away"),
        "s3://gx-vault-7731/warehouse/mine")).hasMessageContaining("outside warehouse");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void aNewTablesDirectoryIsTheOneTheCatalogChoosesForOddNames(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.fresh(server);
    scene.superuser("INSERT INTO pangolin.namespaces (catalog_id, levels) VALUES (" + scene.acmeCatalog
        + ", '{\"odd level\"}'); INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels) SELECT catalog_id, id,"
        + " levels || '{é.x/..}'::text[] FROM pangolin.namespaces WHERE levels = '{\"odd level\"}'");
    String table = StorageLocations.defaultLocation(ROOT, "main", new String[] {"odd level", "é.x/.."}, "t~1", true);
    String directory = table.substring(0, table.lastIndexOf('/'));

    assertThat(actingFor(scene, scene.engine).check("acme_main", Optional.empty(), Access.WRITE,
        List.of(table + "/metadata/00000.json")).location()).isEqualTo(directory);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void actingForNoOneIsRefused(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    SignChecks alone = new SignChecks(Database.of(dataSource(scene, endpointLogin(scene))));
    assertThatThrownBy(() -> alone.check("acme_main", table("sales", "orders"), Access.READ,
        List.of(ORDERS + "/metadata/00001.json")))
        .isInstanceOf(RefusedException.class).hasMessageContaining("acts only for an authenticated principal");
    assertThatThrownBy(() -> alone.warehouseOf("acme_main"))
        .isInstanceOf(RefusedException.class).hasMessageContaining("acts only for an authenticated principal");
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void theCatalogsWarehouseIsFoundOnlyWhereThePrincipalSeesIt(TestPostgres server) throws SQLException {
    HostileScene scene = HostileScene.shared(server);
    SignChecks scoped = actingFor(scene, scene.scoped);
    assertThat(scoped.warehouseOf("acme_main")).contains(scene.acmeWarehouse);
    assertThat(scoped.warehouseOf("globex_main")).isEmpty();
  }

  private static Optional<TableName> table(String namespace, String name) {
    return Optional.of(new TableName(List.of(namespace.split("\\.")), name));
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    assertThat(refusal(call)).isEqualTo(message);
  }

  private static String refusal(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("42501"));
    return thrown.getMessage();
  }

  /** The checks as pangolin serve's login asks them, acting for {@code principal} with a token it minted. */
  private static SignChecks actingFor(HostileScene scene, String principal) throws SQLException {
    String token = EndpointDelegationTest.issue(scene, principal);
    return new SignChecks(Database.of(new ActingDataSource(dataSource(scene, endpointLogin(scene)), token)));
  }
}
