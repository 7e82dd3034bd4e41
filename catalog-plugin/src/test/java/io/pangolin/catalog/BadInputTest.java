package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.metastore.StoreUnavailableException;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gets an error that names the object and the fix, and changes nothing. */
class BadInputTest {

  private static final String BUCKET = "bad-input";
  private static TestS3 s3;
  private static String url;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("bad-key", "bad-secret");
    s3.createBucket("elsewhere");
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void unknownTenantNamesTheTenantAndTheProperty() {
    Map<String, String> props = TestCatalogs.properties(url, "nobody", "main");
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown Pangolin tenant 'nobody'")
        .hasMessageContaining("pangolin.tenant");
  }

  @Test
  void unknownCatalogNamesTheCatalogAndTheProperty() {
    Map<String, String> props = TestCatalogs.properties(url, "acme", "nosuch");
    assertThatThrownBy(() -> new PangolinCatalog().initialize("nosuch", props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown Pangolin catalog 'nosuch' in tenant 'acme'")
        .hasMessageContaining("pangolin.catalog");
  }

  @Test
  void aCatalogOnAMissingWarehouseIsRefusedAndNotCreated() {
    TenantRegistry tenants = TestCatalogs.tenants(url);
    assertThatThrownBy(() -> tenants.createCatalog("acme", "orphan", "no-such-warehouse", null, Map.of()))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("no warehouse 'no-such-warehouse'");
    assertThatThrownBy(() -> new PangolinCatalog().initialize("orphan", TestCatalogs.properties(url, "acme", "orphan")))
        .hasMessageContaining("Unknown Pangolin catalog 'orphan'");
  }

  @Test
  void aLocationOutsideTheWarehouseIsRefusedAndNothingIsWritten() {
    try (PangolinCatalog catalog = open()) {
      catalog.createNamespace(Namespace.of("outside"));
      TableIdentifier id = TableIdentifier.of("outside", "t");
      assertThatThrownBy(() -> catalog.buildTable(id, TestTables.SCHEMA).withLocation("s3://elsewhere/t").create())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("s3://elsewhere/t")
          .hasMessageContaining("outside warehouse 'acme/lake'")
          .hasMessageContaining("allowed locations");
      assertThat(catalog.tableExists(id)).isFalse();
      assertThat(s3.keys("elsewhere", "")).isEmpty();

      Table table = catalog.createTable(id, TestTables.SCHEMA);
      String location = table.location();
      assertThatThrownBy(() -> table.updateLocation().setLocation("s3://elsewhere/moved").commit())
          .hasMessageContaining("outside warehouse");
      assertThatThrownBy(() -> table.updateProperties()
              .set(TableProperties.WRITE_DATA_LOCATION, "s3://elsewhere/data").commit())
          .hasMessageContaining("outside warehouse");
      assertThatThrownBy(() -> table.updateLocation().setLocation("s3://" + BUCKET + "/warehouse/../../x").commit())
          .hasMessageContaining("outside warehouse");
      assertThat(catalog.loadTable(id).location()).isEqualTo(location);
      assertThat(catalog.loadTable(id).properties()).doesNotContainKey(TableProperties.WRITE_DATA_LOCATION);
    }
  }

  @Test
  void droppingANonEmptyNamespaceSaysWhatItHoldsAndDropsNothing() {
    try (PangolinCatalog catalog = open()) {
      catalog.createNamespace(Namespace.of("full"));
      catalog.createNamespace(Namespace.of("full", "child"));
      catalog.createTable(TableIdentifier.of("full", "t"), TestTables.SCHEMA);
      assertThatThrownBy(() -> catalog.dropNamespace(Namespace.of("full")))
          .isInstanceOf(NamespaceNotEmptyException.class)
          .hasMessageContaining("full")
          .hasMessageContaining("1 table(s)")
          .hasMessageContaining("1 child namespace(s)");
      assertThat(catalog.namespaceExists(Namespace.of("full"))).isTrue();
      assertThat(catalog.namespaceExists(Namespace.of("full", "child"))).isTrue();
      assertThat(catalog.tableExists(TableIdentifier.of("full", "t"))).isTrue();
    }
  }

  @Test
  void aDatabaseBehindTheSchemaSaysHowToMigrate() {
    String fresh = TestPostgres.get().newDatabase();
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(fresh, "acme", "main"));
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema is at version none")
        .hasMessageContaining("schema migrate")
        .hasMessageContaining("pangolin.schema.auto-migrate=true");

    Flyway.configure().dataSource(TestCatalogs.dataSource(fresh)).schemas("pangolin")
        .locations("classpath:db/pangolin").table("schema_history").target("1").load().migrate();
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .hasMessageContaining("schema is at version 1 but this plugin needs " + SchemaMigrator.LATEST_VERSION);

    props.put(PangolinConfig.AUTO_MIGRATE, "true");
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .as("migrated, and then the empty database has no tenant")
        .hasMessageContaining("Unknown Pangolin tenant 'acme'");
    assertThat(new SchemaMigrator(TestCatalogs.dataSource(fresh)).currentVersion())
        .contains(SchemaMigrator.LATEST_VERSION);
  }

  @Test
  void aRefusedDatabaseLoginIsReportedWithoutThePassword() {
    // The embedded server trusts local logins whatever the password, so an unknown role is what it refuses.
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, "acme", "main"));
    props.put("jdbc.user", "no_such_role");
    props.put("jdbc.password", "not-the-password-123");
    // No short connection timeout: a refused login is not retried, so it fails at once without one.
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessage("PostgreSQL refused the login of 'no_such_role' (SQLSTATE 28000: role \"no_such_role\" does not"
            + " exist); check the catalog properties 'jdbc.user' and 'jdbc.password'");
  }

  /** Nobody listens at the address: the login cannot be the cause, so the message points at 'uri' alone. */
  @Test
  void aRefusedConnectionPointsAtTheUriNotTheLogin() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(
        "jdbc:postgresql://127.0.0.1:" + closedPort + "/pangolin", "acme", "main"));
    props.put(PangolinConfig.POOL_CONNECTION_TIMEOUT_MS, "2000");
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", props))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("Cannot connect to the Pangolin catalog database at jdbc:postgresql://127.0.0.1:"
            + closedPort)
        .hasMessageContaining("Check the catalog property 'uri' (host, port, database) and that the server runs")
        .hasMessageNotContaining("jdbc.password");
  }

  @Test
  void flywayFindsExactlyTheLatestVersionThePluginChecksFor() {
    assertThat(new SchemaMigrator(TestCatalogs.dataSource(url)).latestVersion())
        .isEqualTo(SchemaMigrator.LATEST_VERSION);
  }

  private static PangolinCatalog open() {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    return catalog;
  }
}
