package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.registry.StorageUpdate;
import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.warehouse.WarehouseSettings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.avro.PlannedDataReader;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A plugin engine on a warehouse that signs through pangolin serve (storage-access=remote-signing) does an engine's
 * work holding no warehouse key: its catalog's FileIO carries a token its own session minted and the endpoint's
 * address, every request is signed by the real endpoint over PostgreSQL, and S3Proxy, which checks every signature
 * against the warehouse's key, accepts them. A file of a table the principal may not read is refused by the signer.
 */
class PluginSigningWarehouseTest {

  private static final Schema SCHEMA = new Schema(
      Types.NestedField.required(1, "id", Types.LongType.get()),
      Types.NestedField.optional(2, "name", Types.StringType.get()));

  private static ServeScene scene;
  private static EndpointFixture endpoint;
  private static String etl;
  private static String keeper;

  @BeforeAll
  static void start() throws Exception {
    scene = ServeScene.start();
    endpoint = EndpointFixture.start(BackendsFactory.of(scene.url, scene.endpointPool(), scene.keys()));
    TestCatalogs.tenants(scene.url).updateStorage(ServeScene.TENANT, "lake", new StorageUpdate(Map.of(
        WarehouseSettings.STORAGE_ACCESS, WarehouseSettings.STORAGE_ACCESS_REMOTE_SIGNING,
        WarehouseSettings.SIGNER_URI, endpoint.uri().toString()), Set.of(), List.of(), List.of()));
    TestCatalogs.tenants(scene.url).createCatalog(ServeScene.TENANT, "other", "lake", null, Map.of());
    etl = scene.principal("etl", "READ", "WRITE", "CREATE");
    keeper = scene.principal("keeper");
    scene.superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, '" + keeper
        + "', p FROM pangolin.catalogs, unnest(ARRAY['READ', 'WRITE', 'CREATE']) p WHERE jdbc_name = 'acme_other'");
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close();
    scene.close();
  }

  @Test
  void aPluginEngineOnASigningWarehouseDoesTheSameWorkHoldingNoWarehouseKey() throws IOException {
    try (PangolinCatalog catalog = open(etl, ServeScene.CATALOG)) {
      catalog.createNamespace(Namespace.of("sales"));
      Table table = catalog.createTable(TableIdentifier.of("sales", "orders"), SCHEMA);
      Map<String, String> ioProps = table.io().properties();
      assertThat(ioProps)
          .containsEntry("s3.remote-signing-enabled", "true")
          .containsEntry("uri", endpoint.uri().toString().replaceAll("/+$", ""))
          .containsEntry("rest.remote-signing.endpoint", "v1/" + ServeScene.PREFIX + "/sign")
          .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
      assertThat(ioProps.values()).noneMatch(v -> v.contains(scene.s3.secretKey()) || v.contains(scene.s3.accessKey()));

      table.newAppend().appendFile(write(table, List.of(row(1, "anchovy"), row(2, "bream")))).commit();

      try (PangolinCatalog again = open(etl, ServeScene.CATALOG)) {
        assertThat(read(again.loadTable(TableIdentifier.of("sales", "orders")))).containsExactlyInAnyOrder(
            "1:anchovy", "2:bream");
      }
      assertThat(scene.s3.keys(scene.bucket, "warehouse/")).anyMatch(k -> k.endsWith(".avro") && k.contains("/data/"));

      String kept = keptTableMetadata();
      assertThatThrownBy(() -> table.io().newInputFile(kept).newStream().read())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining(etl);
    }
  }

  /** The metadata file of a table that keeper made in a catalog of the same warehouse where etl holds nothing. */
  private static String keptTableMetadata() throws IOException {
    try (PangolinCatalog other = open(keeper, "other")) {
      other.createNamespace(Namespace.of("vault"));
      Table kept = other.createTable(TableIdentifier.of("vault", "ledger"), SCHEMA);
      return ((HasTableOperations) kept).operations().current().metadataFileLocation();
    }
  }

  /** The plugin as an engine opens it: its principal's login, and no S3 key and no master key anywhere. */
  private static PangolinCatalog open(String principal, String catalog) {
    Map<String, String> props = new HashMap<>();
    props.put("uri", scene.url);
    props.put("jdbc.user", principal);
    props.put("jdbc.password", scene.password);
    props.put("pangolin.tenant", ServeScene.TENANT);
    props.put("pangolin.catalog", catalog);
    PangolinCatalog opened = new PangolinCatalog();
    opened.initialize(catalog, props);
    assertThat(String.join(",", props.values()) + String.join(",", System.getenv().values()))
        .doesNotContain(scene.s3.secretKey(), scene.s3.accessKey());
    return opened;
  }

  /** Every row of the table, planned from its manifests and read from its data files, all through its FileIO. */
  private static List<String> read(Table table) throws IOException {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        try (CloseableIterable<Record> records = Avro.read(table.io().newInputFile(task.file().location()))
            .project(SCHEMA).createResolvingReader(PlannedDataReader::create).build()) {
          records.forEach(r -> rows.add(r.getField("id") + ":" + r.getField("name")));
        }
      }
    }
    return rows;
  }

  private static Record row(long id, String name) {
    Record record = GenericRecord.create(SCHEMA);
    record.setField("id", id);
    record.setField("name", name);
    return record;
  }

  private static DataFile write(Table table, List<Record> records) throws IOException {
    String location = table.locationProvider().newDataLocation("part-00000.avro");
    DataWriter<Record> writer = Avro.writeData(table.io().newOutputFile(location))
        .schema(SCHEMA)
        .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
        .withSpec(PartitionSpec.unpartitioned())
        .overwrite()
        .build();
    try (writer) {
      records.forEach(writer::write);
    }
    return writer.toDataFile();
  }
}
