package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.security.Secret;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.warehouse.CredentialType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Storage is confined per tenant by the database: no root or allowed location of one tenant's warehouse is a prefix
 * of, or lies under, another tenant's (s3, s3a and s3n one store, trailing slashes and bucket case ignored, a whole
 * bucket included), whoever writes the row and however two tenants race; the refusal names only the caller's own
 * warehouse. file: locations only under the prefix the platform operator sets.
 */
class StorageConfinementTest {

  private String url;
  private TenantRegistry tenants;

  @BeforeEach
  void setUp() {
    url = TestCatalogs.migratedDatabase();
    tenants = TestCatalogs.tenants(url);
    tenants.createTenant("acme");
    tenants.createTenant("globex");
    create("acme", "lake", "s3://shared-bucket/acme", List.of("s3://acme-extra/tables"));
  }

  @Test
  void noWarehouseOfAnotherTenantOverlapsInAnySpelling() {
    for (String root : List.of("s3://shared-bucket", "s3://shared-bucket/", "s3a://shared-bucket/acme/",
        "s3n://SHARED-BUCKET/acme/sub", "s3://shared-bucket//acme", "s3://acme-extra", "s3://acme-extra/tables/x")) {
      assertThatThrownBy(() -> create("globex", "grab", root, List.of()))
          .as(root).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("warehouse \"grab\" overlaps storage of another tenant")
          .hasMessageContaining("use a bucket or prefix of this tenant's own")
          .satisfies(e -> assertThat(e.getMessage()).as("names neither the other tenant nor its warehouse")
              .doesNotContain("\"acme\"", "'acme'", "\"lake\"", "'lake'"));
    }
    assertThatThrownBy(() -> create("globex", "grab", "s3://globex-own/wh", List.of("s3a://shared-bucket/acme/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("overlaps storage of another tenant");

    create("globex", "own", "s3://shared-bucket/acme-not", List.of());
    create("acme", "nested", "s3://shared-bucket/acme/nested", List.of());
    assertThatThrownBy(() -> tenants.updateStorage("globex", "own",
        new StorageUpdate(Map.of(), Set.of(), List.of("s3://acme-extra/tables/y"), List.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warehouse \"own\" overlaps storage of another tenant");
    assertThat(tenants.warehouse("globex", "own").allowedLocations()).isEmpty();
  }

  @Test
  void aRowWrittenAroundTheFunctionsCannotOverlapEither() throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      assertThatThrownBy(() -> s.execute("""
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type)
          SELECT id, 'raw', 's3a://shared-bucket/', 'engine-identity' FROM pangolin.tenants WHERE name = 'globex'"""))
          .hasMessageContaining("warehouse \"raw\" overlaps storage of another tenant");
      s.execute("""
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type)
          SELECT id, 'raw', 's3://globex-raw/wh', 'engine-identity' FROM pangolin.tenants WHERE name = 'globex'""");
      assertThatThrownBy(() -> s.execute("""
          UPDATE pangolin.warehouses SET allowed_locations = '{s3://shared-bucket/acme/t}' WHERE name = 'raw'"""))
          .hasMessageContaining("overlaps storage of another tenant");
    }
  }

  @Test
  void twoTenantsRacingForOverlappingRootsCannotBothWin() throws Exception {
    try (Connection first = TestCatalogs.dataSource(url).getConnection();
        Connection second = TestCatalogs.dataSource(url).getConnection()) {
      first.setAutoCommit(false);
      insertRaw(first, "acme", "race-a", "s3://race-bucket/a");
      CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
        try {
          insertRaw(second, "globex", "race-b", "s3://race-bucket");
        } catch (SQLException e) {
          throw new RuntimeException(e);
        }
      });
      Thread.sleep(500);
      assertThat(other).as("the second writer waits for the first").isNotDone();
      first.commit();
      assertThatThrownBy(() -> other.get(10, TimeUnit.SECONDS))
          .hasMessageContaining("warehouse \"race-b\" overlaps storage of another tenant");
    }
    assertThat(tenants.findWarehouse("globex", "race-b")).isEmpty();
  }

  @Test
  void fileWarehousesOnlyUnderThePlatformsFileRoot() {
    assertThat(tenants.fileRoot()).isEmpty();
    assertThatThrownBy(() -> createFile("files", "file:/srv/lake/acme"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is a file: location, and the platform allows none")
        .hasMessageContaining("pangolin platform set-file-root PREFIX");

    assertThat(tenants.setFileRoot("file:///srv/lake/")).contains("file:/srv/lake");
    assertThatThrownBy(() -> createFile("files", "file:/srv/lakeside"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is outside the platform's file root").hasMessageContaining("file:/srv/lake");
    assertThatThrownBy(() -> createFile("files", "file:/etc")).hasMessageContaining("outside the platform's file root");
    createFile("files", "file:/srv/lake/acme");
    assertThatThrownBy(() -> tenants.setFileRoot("file:/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other than /");

    tenants.setFileRoot(null);
    assertThat(tenants.fileRoot()).isEmpty();
    tenants.updateStorage("acme", "files", new StorageUpdate(Map.of("region", "eu-west-1"), Set.of(), List.of(),
        List.of()));
    assertThat(tenants.warehouse("acme", "files").settings()).containsEntry("region", "eu-west-1")
        .as("a warehouse made before keeps working; only new file: locations are checked");
    assertThatThrownBy(() -> tenants.updateStorage("acme", "files",
        new StorageUpdate(Map.of(), Set.of(), List.of("file:/srv/lake/acme-more"), List.of())))
        .hasMessageContaining("the platform allows none");
  }

  private void create(String tenant, String name, String root, List<String> allowed) {
    tenants.createWarehouse(new NewWarehouse(tenant, name, root, allowed, Map.of(), CredentialType.STATIC, "key-id",
        Secret.of("secret")));
  }

  private void createFile(String name, String root) {
    tenants.createWarehouse(new NewWarehouse("acme", name, root, List.of(), Map.of(), CredentialType.NONE, null,
        null));
  }

  private static void insertRaw(Connection c, String tenant, String name, String root) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("""
          INSERT INTO pangolin.warehouses (tenant_id, name, storage_root, credential_type)
          SELECT id, '%s', '%s', 'engine-identity' FROM pangolin.tenants WHERE name = '%s'"""
          .formatted(name, root, tenant));
    }
  }
}
