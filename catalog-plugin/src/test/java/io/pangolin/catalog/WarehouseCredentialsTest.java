package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Secret;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageAccessException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each warehouse reaches its store with its own keys. The two S3 servers here accept only their own key pair,
 * and the test JVM's AWS environment variables and system properties hold wrong keys (see the surefire
 * configuration), so a request signed with anything but the warehouse's keys is refused.
 */
class WarehouseCredentialsTest {

  private static TestS3 east;
  private static TestS3 west;

  @BeforeAll
  static void start() {
    east = TestS3.start("east-access-key", "east-secret-value");
    west = TestS3.start("west-access-key", "west-secret-value");
  }

  @AfterAll
  static void stop() {
    east.close();
    west.close();
  }

  @Test
  void theEnvironmentHoldsWrongKeys() {
    assertThat(System.getenv("AWS_ACCESS_KEY_ID")).isNotIn(east.accessKey(), west.accessKey());
    assertThat(System.getProperty("aws.accessKeyId")).isNotIn(east.accessKey(), west.accessKey());
  }

  @Test
  void twoWarehousesOnTwoServersEachUseTheirOwnKeys() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "east-wh", "east", east, "east-bucket", List.of());
    TestCatalogs.s3Catalog(url, "acme", "west-wh", "west", west, "west-bucket", List.of());
    PangolinCatalog eastCatalog = open(url, "east");
    PangolinCatalog westCatalog = open(url, "west");
    try {
      TableIdentifier id = TableIdentifier.of("ns", "t");
      for (PangolinCatalog c : List.of(eastCatalog, westCatalog)) {
        c.createNamespace(Namespace.of("ns"));
        Table table = c.createTable(id, TestTables.SCHEMA);
        table.newAppend().appendFile(TestTables.dataFile(table, c.name())).commit();
      }
      assertThat(east.keys("east-bucket", "warehouse/east/ns/")).anyMatch(k -> k.endsWith(".metadata.json"));
      assertThat(west.keys("west-bucket", "warehouse/west/ns/")).anyMatch(k -> k.endsWith(".metadata.json"));
      assertThat(TestTables.currentFiles(eastCatalog.loadTable(id))).singleElement().asString().contains("east");
      assertThat(TestTables.currentFiles(westCatalog.loadTable(id))).singleElement().asString().contains("west");
    } finally {
      eastCatalog.close();
      westCatalog.close();
    }
  }

  @Test
  void wrongKeysFailNamingTheWarehouseAndShowingNoSecret() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "east-wh", "east", east, "east-bucket-2", List.of());
    TenantRegistry tenants = TestCatalogs.tenants(url);
    String wrongSecret = "this-secret-must-never-be-printed";
    tenants.setCredentials("acme", "east-wh", CredentialType.STATIC, east.accessKey(), Secret.of(wrongSecret));

    PangolinCatalog catalog = open(url, "east");
    try {
      catalog.createNamespace(Namespace.of("ns"));
      Throwable failure = catchThrowable(() -> catalog.createTable(TableIdentifier.of("ns", "t"), TestTables.SCHEMA));
      assertThat(failure).isInstanceOf(StorageAccessException.class)
          .hasMessageContaining("warehouse 'acme/east-wh'")
          .hasMessageContaining("403");
      assertThat(stackTrace(failure)).doesNotContain(wrongSecret).doesNotContain(east.secretKey());
      assertThat(catalog.tableExists(TableIdentifier.of("ns", "t"))).isFalse();
    } finally {
      catalog.close();
    }
  }

  @Test
  void rotatedCredentialsArePickedUpWithoutRestartingTheCatalog() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "east-wh", "east", east, "east-bucket-3", List.of());
    TenantRegistry tenants = TestCatalogs.tenants(url);
    TableIdentifier id = TableIdentifier.of("ns", "t");
    PangolinCatalog catalog = open(url, "east");
    try {
      catalog.createNamespace(Namespace.of("ns"));
      catalog.createTable(id, TestTables.SCHEMA);

      tenants.setCredentials("acme", "east-wh", CredentialType.STATIC, east.accessKey(), Secret.of("revoked"));
      assertThatThrownBy(() -> TestTables.dataFile(catalog.loadTable(id), "revoked-keys"))
          .hasMessageContaining("403");

      tenants.setCredentials("acme", "east-wh", CredentialType.STATIC, east.accessKey(), Secret.of(east.secretKey()));
      Table table = catalog.loadTable(id);
      table.newAppend().appendFile(TestTables.dataFile(table, "restored-keys")).commit();
      assertThat(TestTables.currentFiles(catalog.loadTable(id))).singleElement().asString().contains("restored-keys");
    } finally {
      catalog.close();
    }
  }

  private static PangolinCatalog open(String url, String catalog) {
    PangolinCatalog c = new PangolinCatalog();
    c.initialize(catalog, TestCatalogs.properties(url, "acme", catalog));
    return c;
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
