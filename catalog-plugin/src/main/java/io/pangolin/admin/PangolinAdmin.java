package io.pangolin.admin;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.GarbageCollector;
import io.pangolin.metastore.CatalogStore.CatalogSummary;
import io.pangolin.metastore.CatalogStore.RelationSummary;
import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.metastore.DriverDataSource;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.refs.Ref;
import io.pangolin.metastore.refs.RefStore.RefSummary;
import io.pangolin.metastore.refs.RefStore;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.metastore.TenantStore;
import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageResolver;
import io.pangolin.warehouse.WarehouseCheck;
import io.pangolin.warehouse.WarehouseConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.sql.DataSource;

/**
 * The operator's API: schema, tenants, warehouses, catalogs, principals, grants and the audit trail. The command
 * line is a thin layer over it, and the quickstart and tests use it directly. Every call runs as the login it was
 * given, so PostgreSQL decides what it may do. Only {@link #checkWarehouse} and {@link #gc} need Iceberg and the AWS SDK.
 */
public final class PangolinAdmin extends AccessAdmin {

  private final Database db;
  private final TenantRegistry store;
  private final Graveyard graveyard;

  public PangolinAdmin(DataSource dataSource, Optional<SecretCipher> masterKey) {
    this(dataSource, Keyring.master(requireNonNull(masterKey, "masterKey")));
  }

  /** With the keys given: the shared master key and/or the key of the tenant administered. */
  public PangolinAdmin(DataSource dataSource, Keyring keys) {
    this(Database.of(requireNonNull(dataSource, "dataSource")), keys);
  }

  private PangolinAdmin(Database db, Keyring keys) {
    super(db);
    this.db = db;
    this.store = new TenantRegistry(db, keys);
    this.graveyard = new Graveyard(db);
  }

  /** Connects without a pool: the admin tool runs one command and exits. */
  public static PangolinAdmin connect(String jdbcUrl, String user, Secret password, Optional<SecretCipher> key) {
    return connect(jdbcUrl, user, password, Keyring.master(key));
  }

  /** As {@link #connect(String, String, Secret, Optional)} with the keys given. */
  public static PangolinAdmin connect(String jdbcUrl, String user, Secret password, Keyring key) {
    return connect(DatabaseLogin.of(jdbcUrl, user), password, key);
  }

  /**
   * As {@link #connect(String, String, Secret, Keyring)} to the URL and as the user of {@code login}, which also
   * says how to fix a refused connection in the caller's terms.
   */
  public static PangolinAdmin connect(DatabaseLogin login, Secret password, Keyring key) {
    Map<String, String> properties = new HashMap<>();
    if (login.user() != null) {
      properties.put("user", login.user());
    }
    if (password != null) {
      properties.put("password", password.reveal());
    }
    properties.put("ApplicationName", "pangolin-admin");
    properties.put("connectTimeout", "10");
    DriverDataSource ds = new DriverDataSource(requireNonNull(login.url(), "jdbcUrl"), properties);
    return new PangolinAdmin(Database.of(ds, login), key);
  }

  // Schema

  public String migrate() {
    return new SchemaMigrator(db).migrate();
  }

  public Optional<String> schemaVersion() {
    return new SchemaMigrator(db).currentVersion();
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

  /** Whether the login sees the tenant, and if not whether it could tell that the tenant does not exist. */
  public TenantStore.Lookup lookUpTenant(String name) {
    return store.lookUpTenant(name);
  }

  // Platform storage

  /** See {@link TenantRegistry#setFileRoot}. */
  public Optional<String> setFileRoot(String prefix) {
    return store.setFileRoot(prefix);
  }

  public Optional<String> fileRoot() {
    return store.fileRoot();
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

  /** See {@link TenantRegistry#resealTenant}. */
  public int resealTenant(String tenant, Optional<SecretCipher> from, SecretCipher to) {
    return store.resealTenant(tenant, from, to);
  }

  /** See {@link TenantRegistry#tenantKeys}. */
  public Map<String, String> tenantKeys() {
    return store.tenantKeys();
  }

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

  // Principals, grants and the audit trail: declared in AccessAdmin, inherited as this class's own

  // Dropped tables and views

  /** How long a dropped table or view of the catalog stays restorable. */
  public Duration dropRetention(String tenant, String catalog) {
    return graveyard.dropRetention(tenant, catalog);
  }

  public void setDropRetention(String tenant, String catalog, Duration retention) {
    graveyard.setDropRetention(tenant, catalog, retention);
  }

  /** What the graveyard holds of a catalog: what can be restored, and until when. */
  public List<Graveyard.Dropped> listDropped(String tenant, String catalog) {
    return listDropped(tenant, catalog, Ref.MAIN_NAME);
  }

  /** What was dropped from branch {@code ref} and can be restored there. */
  public List<Graveyard.Dropped> listDropped(String tenant, String catalog, String ref) {
    return graveyard.list(tenant, catalog, ref);
  }

  /**
   * Restores dropped {@code namespace.name} (graveyard row {@code droppedId} when several share the name) under its
   * own name, or as {@code newNamespace.newName}.
   */
  public Graveyard.Restored undrop(String tenant, String catalog, List<String> namespace, String name,
      OptionalLong droppedId, Optional<List<String>> newNamespace, Optional<String> newName) {
    return undrop(tenant, catalog, Ref.MAIN_NAME, namespace, name, droppedId, newNamespace, newName);
  }

  /** As {@link #undrop(String, String, List, String, OptionalLong, Optional, Optional)}, on branch {@code ref} only. */
  public Graveyard.Restored undrop(String tenant, String catalog, String ref, List<String> namespace, String name,
      OptionalLong droppedId, Optional<List<String>> newNamespace, Optional<String> newName) {
    return graveyard.undrop(tenant, catalog, ref, namespace, name, droppedId, newNamespace, newName);
  }

  /** Collects what is past its retention; needs Iceberg and the AWS SDK, like {@link #checkWarehouse}. */
  public GarbageCollector.Report gc(String tenant, Optional<String> catalog, boolean dryRun) {
    return new GarbageCollector(graveyard, store::loadWarehouse, new StorageResolver()).run(tenant, catalog, dryRun);
  }

  // Branches and tags

  /** Branches the whole catalog from {@code from} (a branch or tag; null or "main" for main): one row. */
  public void createBranch(String tenant, String catalog, String name, String from) {
    refs(tenant, catalog).createBranch(name, from);
  }

  /** A branch of chosen namespaces of {@code from} (each a list of levels); see {@link RefStore#createBranch}. */
  public void createBranch(String tenant, String catalog, String name, String from, List<List<String>> namespaces) {
    refs(tenant, catalog).createBranch(name, from, namespaces);
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
    return new RefStore(db, CatalogBinding.find(db, tenant, catalog));
  }
}
