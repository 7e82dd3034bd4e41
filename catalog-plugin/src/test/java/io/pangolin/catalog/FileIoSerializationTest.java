package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pangolin.warehouse.WarehouseFileIO;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SerializableTable;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.FileIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

  /**
   * Iceberg's S3FileIO closes itself when it is finalized and warns "Unclosed S3FileIO" only for the instance whose
   * creator forgot it; its own deserialized copies never warn. A WarehouseFileIO copy on an executor builds its
   * S3FileIO there and nobody closes it but the finalizer, so it must not warn either; the instance built where
   * the table was created still does, so a real leak stays visible.
   */
  @Test
  void executorCopiesLeaveNoUnclosedWarningWhileALeakedOriginalStillWarns() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(S3FileIO.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      Map<String, String> props = Map.of("s3.endpoint", s3.endpoint(), "s3.path-style-access", "true",
          "client.region", "us-east-1", "s3.access-key-id", "ship-key", "s3.secret-access-key", "ship-secret",
          // The warehouse root the FileIO serves; every location it is asked for must lie below it.
          "pangolin.root", "s3://ship");
      WarehouseFileIO original = new WarehouseFileIO();
      original.initialize(props);
      byte[] shipped = serialize(original);

      WeakReference<Object> copy = useShippedCopy(shipped);
      for (int i = 0; i < 200 && copy.get() != null; i++) {
        System.gc();
        System.runFinalization();
      }
      assertThat(copy.get()).as("the executor copy was collected").isNull();
      for (int i = 0; i < 5; i++) {
        System.gc();
        System.runFinalization();
      }

      WeakReference<Object> leaked = useOriginal(props);
      for (int i = 0; i < 200 && unclosed(appender).stream().noneMatch(m -> m.contains("useOriginal")); i++) {
        System.gc();
        System.runFinalization();
      }
      assertThat(leaked.get()).as("the leaked original was collected").isNull();
      assertThat(unclosed(appender)).as("only the leaked original warns").hasSize(1)
          .allMatch(m -> m.contains("useOriginal") && !m.contains("useShippedCopy"));
    } finally {
      logger.detachAppender(appender);
    }
  }

  private static WeakReference<Object> useShippedCopy(byte[] shipped) throws Exception {
    WarehouseFileIO copy = (WarehouseFileIO) deserialize(shipped);
    assertThat(copy.newInputFile("s3://ship/some/file").location()).isEqualTo("s3://ship/some/file");
    return new WeakReference<>(copy);
  }

  private static WeakReference<Object> useOriginal(Map<String, String> props) {
    WarehouseFileIO io = new WarehouseFileIO();
    io.initialize(props);
    assertThat(io.newInputFile("s3://ship/some/file").location()).isEqualTo("s3://ship/some/file");
    return new WeakReference<>(io);
  }

  private static List<String> unclosed(ListAppender<ILoggingEvent> appender) {
    return List.copyOf(appender.list).stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("Unclosed S3FileIO")).toList();
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
