package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import io.pangolin.warehouse.CredentialType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse serves its own root and explicitly allowed locations, in its own scheme, and nothing else: not
 * through registered metadata, not through a purge, not through percent-encoded or '..' paths.
 */
class WarehouseLocationsTest {

  private static final String LAKE = "loc-lake";
  private static final String OTHER = "loc-other";
  private static final String SHARED = "loc-shared";
  private static final Namespace NS = Namespace.of("ns");

  private static TestS3 s3;
  private static String url;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("loc-key", "loc-secret");
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, LAKE, List.of());
    TestCatalogs.s3Catalog(url, "acme", "other", "other", s3, OTHER, List.of());
    TenantRegistry tenants = TestCatalogs.tenants(url);
    tenants.createTenant("globex");
    s3.createBucket(SHARED);
    createS3Warehouse(tenants, "acme", "shared-acme", "s3://" + SHARED + "/acme", "shared");
    createS3Warehouse(tenants, "globex", "shared-globex", "s3://" + SHARED + "/globex", "shared");
    try (PangolinCatalog main = open("main"); PangolinCatalog other = open("other");
        PangolinCatalog shared = open("shared"); PangolinCatalog globex = open("globex", "shared")) {
      for (PangolinCatalog c : List.of(main, other, shared, globex)) {
        c.createNamespace(NS);
      }
    }
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void aFileMetadataFileIsNotRegisteredIntoAnS3Warehouse() throws IOException {
    try (PangolinCatalog main = open("main")) {
      Table source = main.createTable(TableIdentifier.of("ns", "source-for-file"), TestTables.SCHEMA);
      Path local = tmp.resolve("00003-x.metadata.json");
      Files.writeString(local, read(source, metadataLocation(source)));
      String location = "file:" + local;
      assertRefusedAndNothingChanges(() -> main.registerTable(TableIdentifier.of("ns", "from-file"), location),
          location, "acme/lake");
    }
  }

  @Test
  void metadataInAnotherWarehouseOrAnotherTenantsPrefixIsNotRegistered() {
    try (PangolinCatalog main = open("main"); PangolinCatalog other = open("other");
        PangolinCatalog shared = open("shared"); PangolinCatalog globex = open("globex", "shared")) {
      String otherBucket = metadataLocation(other.createTable(TableIdentifier.of("ns", "theirs"), TestTables.SCHEMA));
      assertRefusedAndNothingChanges(() -> main.registerTable(TableIdentifier.of("ns", "stolen"), otherBucket),
          otherBucket, "acme/lake");

      String globexFile = metadataLocation(globex.createTable(TableIdentifier.of("ns", "g"), TestTables.SCHEMA));
      assertRefusedAndNothingChanges(() -> shared.registerTable(TableIdentifier.of("ns", "stolen"), globexFile),
          globexFile, "acme/shared-acme");
      String climbing = globexFile.replace(SHARED + "/globex/", SHARED + "/acme/%2e%2e/globex/");
      assertRefusedAndNothingChanges(() -> shared.registerTable(TableIdentifier.of("ns", "climbing"), climbing),
          climbing, "acme/shared-acme");
    }
  }

  @Test
  void purgingARegisteredTableDeletesNothingOutsideTheWarehouse() throws IOException {
    PangolinAdmin admin = new PangolinAdmin(TestCatalogs.dataSource(url),
        Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
    admin.setDropRetention("acme", "main", Duration.ZERO);
    try (PangolinCatalog main = open("main"); PangolinCatalog other = open("other")) {
      Table theirs = other.createTable(TableIdentifier.of("ns", "victim"), TestTables.SCHEMA);
      DataFile otherWarehouseFile = TestTables.dataFile(theirs, "victim");
      Path localVictim = Files.writeString(tmp.resolve("victim.parquet"), "driver-local file");
      DataFile localFile = DataFiles.builder(PartitionSpec.unpartitioned()).withPath("file:" + localVictim)
          .withFormat(FileFormat.PARQUET).withFileSizeInBytes(17).withRecordCount(1).build();

      TableIdentifier crafted = TableIdentifier.of("ns", "crafted");
      Table table = main.createTable(crafted, TestTables.SCHEMA);
      DataFile inside = TestTables.dataFile(table, "inside");
      table.newAppend().appendFile(inside).appendFile(otherWarehouseFile).appendFile(localFile).commit();
      String metadata = metadataLocation(main.loadTable(crafted));
      main.dropTable(crafted, false);
      TableIdentifier registered = TableIdentifier.of("ns", "registered");
      main.registerTable(registered, metadata);

      assertThat(main.dropTable(registered, true)).isTrue();
      // A purge deletes files only when gc collects the dropped table.
      admin.gc("acme", Optional.of("main"), false);

      assertThat(main.tableExists(registered)).isFalse();
      assertThat(s3.keys(OTHER, key(otherWarehouseFile.location()))).as("the other warehouse's file").hasSize(1);
      assertThat(localVictim).as("the driver-local file").exists();
      assertThat(s3.keys(LAKE, key(inside.location()))).as("the table's own data file is purged").isEmpty();
    }
  }

  @Test
  void theWarehouseFileIoRefusesLocationsOutsideTheWarehouse() {
    try (PangolinCatalog main = open("main")) {
      Table table = main.createTable(TableIdentifier.of("ns", "io"), TestTables.SCHEMA);
      List<String> keysBefore = s3.keys(OTHER, "");
      for (String outside : List.of("s3://" + OTHER + "/planted", "file:" + tmp.resolve("planted"),
          "s3://" + LAKE + "/warehouse/%2e%2e/planted")) {
        assertThatThrownBy(() -> table.io().newOutputFile(outside).createOrOverwrite().close())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(outside)
            .hasMessageContaining("outside warehouse 'acme/lake'");
      }
      assertThat(s3.keys(OTHER, "")).isEqualTo(keysBefore);
      assertThat(tmp.resolve("planted")).doesNotExist();
    }
  }

  @Test
  void s3TableLocationsWithDotSegmentsAreRefused() {
    try (PangolinCatalog main = open("main")) {
      for (String location : List.of("s3://" + LAKE + "/warehouse/%2e%2e/x", "s3://" + LAKE + "/warehouse/%2E%2E/x",
          "s3://" + LAKE + "/warehouse/./x", "s3://" + LAKE + "/warehouse/a/../x")) {
        assertRefusedAndNothingChanges(
            () -> main.buildTable(TableIdentifier.of("ns", "dots"), TestTables.SCHEMA).withLocation(location).create(),
            location, "acme/lake");
      }
    }
  }

  @Test
  void percentEncodedTraversalOnAFileWarehouseIsRefused() throws IOException {
    Path acme = Files.createDirectories(tmp.resolve("wh/acme"));
    Path globex = Files.createDirectories(tmp.resolve("wh/globex"));
    TestCatalogs.allowFileRoot(url, "file:" + tmp.resolve("wh"));
    TenantRegistry tenants = TestCatalogs.tenants(url);
    tenants.createWarehouse(new TenantRegistry.NewWarehouse("acme", "files", "file:" + acme, List.of(), Map.of(),
        CredentialType.NONE, null, null));
    tenants.createCatalog("acme", "files", "files", null, Map.of());
    try (PangolinCatalog files = open("files")) {
      files.createNamespace(NS);
      for (String escape : List.of("%2e%2e/globex/t1", "%2E%2E/globex/t2", "..%2fglobex/t3", "%2e%2e%2Fglobex/t4",
          ".%2e/globex/t5")) {
        String location = "file:" + acme + "/" + escape;
        assertRefusedAndNothingChanges(
            () -> files.buildTable(TableIdentifier.of("ns", "t"), TestTables.SCHEMA).withLocation(location).create(),
            location, "acme/files");
        assertThat(filesUnder(globex)).as("nothing written into the other tenant's directory").isEmpty();
      }

      Table ok = files.buildTable(TableIdentifier.of("ns", "ok"), TestTables.SCHEMA)
          .withLocation("file:" + acme + "/with%20space/ok").create();
      ok.newAppend().appendFile(TestTables.dataFile(ok, "local")).commit();
      assertThat(filesUnder(acme.resolve("with space/ok"))).isNotEmpty();
      assertThat(filesUnder(globex)).isEmpty();
    }
  }

  private static void assertRefusedAndNothingChanges(Runnable action, String location, String warehouse) {
    List<String> rowsBefore = relationRows();
    Map<String, List<String>> keysBefore = allKeys();
    assertThatThrownBy(action::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(location)
        .hasMessageContaining("outside warehouse '" + warehouse + "'")
        .hasMessageContaining("--allowed-location");
    assertThat(relationRows()).isEqualTo(rowsBefore);
    assertThat(allKeys()).isEqualTo(keysBefore);
  }

  private static Map<String, List<String>> allKeys() {
    return Map.of(LAKE, s3.keys(LAKE, ""), OTHER, s3.keys(OTHER, ""), SHARED, s3.keys(SHARED, ""));
  }

  private static List<String> relationRows() {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery("SELECT r.id, r.name, r.metadata_location FROM pangolin.relations r"
            + " ORDER BY r.id")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getLong(1) + " " + rs.getString(2) + " " + rs.getString(3));
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }

  private static String metadataLocation(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static String read(Table table, String location) {
    try (InputStream in = table.io().newInputFile(location).newStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(String s3Location) {
    String path = s3Location.substring("s3://".length());
    return path.substring(path.indexOf('/') + 1);
  }

  private static void createS3Warehouse(TenantRegistry tenants, String tenant, String name, String root, String catalog) {
    tenants.createWarehouse(new TenantRegistry.NewWarehouse(tenant, name, root, List.of(), TestCatalogs.s3Settings(s3),
        CredentialType.STATIC, s3.accessKey(), io.pangolin.security.Secret.of(s3.secretKey())));
    tenants.createCatalog(tenant, catalog, name, null, Map.of());
  }

  private static PangolinCatalog open(String catalog) {
    return open("acme", catalog);
  }

  private static PangolinCatalog open(String tenant, String catalog) {
    PangolinCatalog c = new PangolinCatalog();
    c.initialize(catalog, TestCatalogs.properties(url, tenant, catalog));
    return c;
  }
}
