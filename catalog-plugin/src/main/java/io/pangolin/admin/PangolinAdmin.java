package io.pangolin.admin;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogStore.CatalogSummary;
import io.pangolin.metastore.CatalogStore.RelationSummary;
import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.RefStore;
import io.pangolin.metastore.RefStore.RefSummary;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageResolver;
import io.pangolin.warehouse.WarehouseCheck;
import io.pangolin.warehouse.WarehouseConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The operator's API: schema, tenants, warehouses and catalogs. The command line is a thin layer over it, and
 * the quickstart and tests use it directly. Only {@link #checkWarehouse} needs Iceberg and the AWS SDK.
 */
public final class PangolinAdmin {

  private final DataSource dataSource;
  private final TenantRegistry store;

  public PangolinAdmin(DataSource dataSource, Optional<SecretCipher> masterKey) {
    this.dataSource = requireNonNull(dataSource, "dataSource");
    this.store = new TenantRegistry(Database.of(dataSource), masterKey);
  }

  /** Connects without a pool: the admin tool runs one command and exits. */
  public static PangolinAdmin connect(String jdbcUrl, String user, Secret password, Optional<SecretCipher> key) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(requireNonNull(jdbcUrl, "jdbcUrl"));
    if (user != null) {
      ds.setUser(user);
    }
    if (password != null) {
      ds.setPassword(password.reveal());
    }
    ds.setApplicationName("pangolin-admin");
    ds.setConnectTimeout(10);
    return new PangolinAdmin(ds, key);
  }

  // Schema

  public String migrate() {
    return new SchemaMigrator(dataSource).migrate();
  }

  public Optional<String> schemaVersion() {
    return new SchemaMigrator(dataSource).currentVersion();
  }

  public String latestSchemaVersion() {
    return SchemaMigrator.LATEST_VERSION;
  }

  // Tenants

  public void createTenant(String name) {
    store.createTenant(name);
  }

  public List<String> listTenants() {
    return store.listTenants();
  }

  public void deleteTenant(String name) {
    store.deleteTenant(name);
  }

  // Warehouses

  public void createWarehouse(NewWarehouse warehouse) {
    store.createWarehouse(warehouse);
  }

  public List<WarehouseConfig> listWarehouses(String tenant) {
    return store.listWarehouses(tenant);
  }

  public WarehouseConfig warehouse(String tenant, String name) {
    return store.warehouse(tenant, name);
  }

  /** Changes only the settings and allowed locations the update names. */
  public void updateWarehouse(String tenant, String name, StorageUpdate update) {
    store.updateStorage(tenant, name, update);
  }

  public void setCredentials(String tenant, String name, CredentialType type, String accessKeyId, Secret secret) {
    store.setCredentials(tenant, name, type, accessKeyId, secret);
  }

  public void deleteWarehouse(String tenant, String name) {
    store.deleteWarehouse(tenant, name);
  }

  public WarehouseCheck.Result checkWarehouse(String tenant, String name) {
    return new WarehouseCheck(new StorageResolver()).run(store.warehouse(tenant, name));
  }

  // Catalogs

  public void createCatalog(String tenant, String name, String warehouse, String jdbcName) {
    store.createCatalog(tenant, name, warehouse, jdbcName, Map.of());
  }

  public List<CatalogSummary> listCatalogs(String tenant) {
    return store.listCatalogs(tenant);
  }

  public void deleteCatalog(String tenant, String name) {
    store.deleteCatalog(tenant, name);
  }

  public List<List<String>> listNamespaces(String tenant, String catalog) {
    return store.listNamespaces(tenant, catalog);
  }

  public List<RelationSummary> listTables(String tenant, String catalog) {
    return store.listRelations(tenant, catalog);
  }

  // Branches and tags

  /** Branches the whole catalog from {@code from} (a branch or tag; null or "main" for main): one row. */
  public void createBranch(String tenant, String catalog, String name, String from) {
    refs(tenant, catalog).createBranch(name, from);
  }

  /** Pins what {@code fromBranch} (null or "main" for main) shows now; a tag never changes. */
  public void createTag(String tenant, String catalog, String name, String fromBranch) {
    refs(tenant, catalog).createTag(name, fromBranch);
  }

  public List<RefSummary> listRefs(String tenant, String catalog) {
    return refs(tenant, catalog).list();
  }

  /** Deletes a branch or tag; false when it does not exist. No file is touched. */
  public boolean deleteRef(String tenant, String catalog, String name, boolean tag) {
    return refs(tenant, catalog).delete(name, tag);
  }

  /** Publishes every change of {@code source} into {@code target} atomically, or refuses naming the conflicts. */
  public void merge(String tenant, String catalog, String source, String target) {
    refs(tenant, catalog).merge(source, target);
  }

  private RefStore refs(String tenant, String catalog) {
    Database db = Database.of(dataSource);
    return new RefStore(db, CatalogBinding.load(db, tenant, catalog));
  }
}
