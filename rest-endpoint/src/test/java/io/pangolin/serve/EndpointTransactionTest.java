package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.serve.testing.ServeScene;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * transactions/commit through Iceberg's own RESTCatalog: several tables' changes land together as one PostgreSQL
 * transaction, or none of them does (a stale base on one table, or no WRITE on one table).
 */
class EndpointTransactionTest {

  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static final TableIdentifier ORDERS = TableIdentifier.of("tx", "orders");
  private static final TableIdentifier LEDGER = TableIdentifier.of("tx", "ledger");

  private static ServeScene scene;
  private static EndpointFixture endpoint;
  private static RESTCatalog writer;

  @BeforeAll
  static void start() throws Exception {
    scene = ServeScene.start();
    endpoint = EndpointFixture.start(BackendsFactory.of(scene.url, scene.endpointPool(), scene.keys()));
    writer = client(scene.principal("writer", "READ", "WRITE", "CREATE", "DROP"));
    writer.createNamespace(Namespace.of("tx"));
    writer.createTable(ORDERS, SCHEMA);
    writer.createTable(LEDGER, SCHEMA);
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
    scene.close();
  }

  @Test
  void bothTablesLandTogether() {
    writer.commitTransaction(List.of(withProperty(writer, ORDERS, "batch", "1"), withProperty(writer, LEDGER, "batch",
        "1")));
    assertThat(writer.loadTable(ORDERS).properties()).containsEntry("batch", "1");
    assertThat(writer.loadTable(LEDGER).properties()).containsEntry("batch", "1");
  }

  @Test
  void aStaleBaseOnOneTableLeavesBothAsTheyWere() {
    TableCommit orders = withProperty(writer, ORDERS, "stale", "orders");
    Table ledgerTable = writer.loadTable(LEDGER);
    TableMetadata ledgerBase = ((HasTableOperations) ledgerTable).operations().current();
    TableCommit ledger = TableCommit.create(LEDGER, ledgerBase, TableMetadata.buildFrom(ledgerBase)
        .setCurrentSchema(new Schema(SCHEMA.columns().get(0),
            Types.NestedField.optional(2, "note", Types.StringType.get())), 2).build());
    // Another writer changes the ledger's schema first: the transaction's requirement on it no longer holds.
    writer.loadTable(LEDGER).updateSchema().addColumn("meanwhile", Types.StringType.get()).commit();

    assertThatThrownBy(() -> writer.commitTransaction(List.of(orders, ledger)))
        .isInstanceOf(CommitFailedException.class).hasMessageContaining("tx.ledger");
    assertThat(writer.loadTable(ORDERS).properties()).doesNotContainKey("stale");
    assertThat(writer.loadTable(LEDGER).schema().findField("note")).isNull();
  }

  @Test
  void aTableThePrincipalMayNotWriteStopsTheWholeTransaction() {
    String partial = scene.principal("partial", "READ");
    scene.superuser("INSERT INTO pangolin.grants (catalog_id, namespace_id, relation_id, grantee, privilege)"
        + " SELECT n.catalog_id, n.id, r.id, '" + partial + "', 'WRITE' FROM pangolin.relations r"
        + " JOIN pangolin.namespaces n ON n.id = r.namespace_id WHERE r.name = 'orders'");
    RESTCatalog limited = client(partial);
    TableCommit orders = withProperty(limited, ORDERS, "partial", "yes");
    TableCommit ledger = withProperty(limited, LEDGER, "partial", "yes");

    assertThatThrownBy(() -> limited.commitTransaction(List.of(orders, ledger)))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining(partial).hasMessageContaining("WRITE");
    assertThat(writer.loadTable(ORDERS).properties()).doesNotContainKey("partial");
    assertThat(writer.loadTable(LEDGER).properties()).doesNotContainKey("partial");
  }

  private static TableCommit withProperty(RESTCatalog catalog, TableIdentifier id, String key, String value) {
    Table table = catalog.loadTable(id);
    TableMetadata base = ((HasTableOperations) table).operations().current();
    TableMetadata updated = TableMetadata.buildFrom(base).setProperties(Map.of(key, value)).build();
    return TableCommit.create(id, base, updated);
  }

  private static RESTCatalog client(String principal) {
    Map<String, String> props = new HashMap<>(scene.warehouseFileIo());
    props.put("credential", principal + ":" + scene.password);
    props.put("warehouse", ServeScene.TENANT + "/" + ServeScene.CATALOG);
    return endpoint.client(principal, props);
  }
}
