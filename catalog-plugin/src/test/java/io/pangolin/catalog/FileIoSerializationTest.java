package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.storage.WarehouseFileIO;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Engines ship a table to their executors as Iceberg's SerializableTable. Its FileIO must travel with the
 * warehouse's resolved settings and work there on its own, with the catalog and its database long gone.
 */
class FileIoSerializationTest {

  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("ship-key", "ship-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void aShippedTableReadsItsFilesWithTheWarehouseKeysAfterTheCatalogIsClosed() throws Exception {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, "ship", List.of());
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    catalog.createNamespace(Namespace.of("ns"));
    Table table = catalog.createTable(TableIdentifier.of("ns", "t"), TestTables.SCHEMA);
    DataFile file = TestTables.dataFile(table, "shipped");
    table.newAppend().appendFile(file).commit();
    byte[] shipped = serialize(SerializableTable.copyOf(catalog.loadTable(TableIdentifier.of("ns", "t"))));
    catalog.close();

    Table onExecutor = (Table) deserialize(shipped);
    FileIO io = onExecutor.io();
    assertThat(io).isInstanceOf(WarehouseFileIO.class);
    assertThat(io.properties()).containsEntry("s3.access-key-id", "ship-key").doesNotContainKey("uri");
    try (InputStream in = io.newInputFile(file.location()).newStream()) {
      assertThat(new String(in.readAllBytes())).isEqualTo("rows of shipped");
    }
    assertThat(TestTables.currentFilesOf(onExecutor)).containsExactly(file.location());
  }

  private static byte[] serialize(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    return bytes.toByteArray();
  }

  private static Object deserialize(byte[] bytes) throws Exception {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return in.readObject();
    }
  }
}
