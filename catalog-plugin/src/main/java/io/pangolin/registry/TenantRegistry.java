package io.pangolin.registry;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogStore;
import io.pangolin.metastore.CatalogStore.CatalogSummary;
import io.pangolin.metastore.CatalogStore.RelationSummary;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.TenantStore;
import io.pangolin.metastore.WarehouseRow;
import io.pangolin.metastore.WarehouseStore;
import io.pangolin.security.Keyring;
import io.pangolin.security.Sealer;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageLocations;
import io.pangolin.warehouse.WarehouseConfig;
import io.pangolin.warehouse.WarehouseSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tenants, their warehouses and their catalogs as the admin API and the catalog use them, in three steps: a
 * warehouse's settings, locations and credentials are validated by the warehouse package, its secrets sealed by
 * {@link Sealer}, and the row written by {@link WarehouseStore}; read back, a row becomes a {@link WarehouseConfig}
 * whose secrets open only when the storage resolution step reveals them, so listing warehouses needs no master key.
 * Uses no Iceberg class, so the admin command line runs on the plugin jar alone.
 */
public final class TenantRegistry {

  /** What a new warehouse is made of. The secret is only present for static credentials. */
  public record NewWarehouse(
      String tenant,
      String name,
      String storageRoot,
      List<String> allowedLocations,
      Map<String, String> settings,
      CredentialType credentialType,
      String accessKeyId,
      Secret secretAccessKey) {

    public NewWarehouse {
      requireNonNull(tenant, "tenant");
      requireNonNull(name, "name");
      requireNonNull(storageRoot, "storageRoot");
      requireNonNull(credentialType, "credentialType");
      allowedLocations = List.copyOf(allowedLocations);
      settings = Map.copyOf(settings);
    }
  }

  private final TenantStore tenants;
  private final WarehouseStore warehouses;
  private final CatalogStore catalogs;
  private final WarehouseSecrets secrets;

  /** With only the shared master key (or none), as before keys per tenant. */
  public TenantRegistry(Database db, Optional<SecretCipher> cipher) {
    this(db, Keyring.master(requireNonNull(cipher, "cipher")));
  }

  /** With the keys given: the shared master key and/or the key of the tenant worked for. */
  public TenantRegistry(Database db, Keyring keys) {
    requireNonNull(db, "db");
    this.tenants = new TenantStore(db);
    this.warehouses = new WarehouseStore(db);
    this.catalogs = new CatalogStore(db);
    this.secrets = new WarehouseSecrets(new Sealer(keys));
  }

  // Tenants

  public long createTenant(String name) {
    return tenants.createTenant(name);
  }

  public List<String> listTenants() {
    return tenants.listTenants();
  }

  public void deleteTenant(String name) {
    tenants.deleteTenant(name);
  }

  /** See {@link TenantStore#lookUp}. */
  public TenantStore.Lookup lookUpTenant(String name) {
    return tenants.lookUp(name);
  }

  /**
   * Sets the prefix every new {@code file:} warehouse root or allowed location must lie under (null clears it, so
   * that no new {@code file:} location is allowed); platform administrators and superusers only.
   */
  public Optional<String> setFileRoot(String prefix) {
    if (prefix != null) {
      StorageLocations.requireValidRoot("(platform file root)", prefix);
    }
    return tenants.setFileRoot(prefix == null ? null : StorageLocations.normalize(prefix));
  }

  public Optional<String> fileRoot() {
    return tenants.fileRoot();
  }

  // Warehouses

  public long createWarehouse(NewWarehouse w) {
    Map<String, String> settings = WarehouseSettings.validate(w.name(), w.settings());
    WarehouseSettings.requireComplete(w.tenant() + "/" + w.name(), settings, w.credentialType());
    StorageLocations.requireValidRoot(w.name(), w.storageRoot());
    w.allowedLocations().forEach(l -> StorageLocations.requireValidRoot(w.name(), l));
    StorageLocations.requireSameStore(w.name(), w.storageRoot(), w.allowedLocations());
    w.credentialType().requireFit(w.name(), w.storageRoot(), w.accessKeyId(), w.secretAccessKey());
    Optional<String> tenantKey = tenants.keyFingerprint(w.tenant());
    String sealed = secrets.sealKey(w.tenant(), tenantKey, w.name(), w.secretAccessKey());
    Map<String, String> stored = secrets.sealSettings(w.tenant(), tenantKey, w.name(), settings);
    return warehouses.insert(WarehouseRow.of(w.tenant(), w.name(), StorageLocations.normalize(w.storageRoot()),
        w.allowedLocations().stream().map(StorageLocations::normalize).toList(), stored, w.credentialType().code(),
        w.accessKeyId(), sealed));
  }

  public WarehouseConfig loadWarehouse(long id) {
    return config(warehouses.load(id));
  }

  /**
   * As {@link #loadWarehouse}, with the key of a warehouse that signs remotely, which only pangolin serve's login
   * may read, while it acts for a principal who sees a catalog of the warehouse.
   */
  public WarehouseConfig loadWarehouseWithSigningKey(long id) {
    WarehouseRow row = warehouses.load(id);
    return config(WarehouseSettings.signsRemotely(row.settings()) ? warehouses.loadWithSigningKey(id) : row);
  }

  public Optional<WarehouseConfig> findWarehouse(String tenant, String name) {
    return warehouses.find(tenant, name).map(this::config);
  }

  public WarehouseConfig warehouse(String tenant, String name) {
    return findWarehouse(tenant, name).orElseThrow(() -> NoSuchObjectException.warehouse(tenant, name));
  }

  public List<WarehouseConfig> listWarehouses(String tenant) {
    return warehouses.list(tenant).stream().map(this::config).toList();
  }

  /** Replaces a warehouse's credentials; running catalogs pick them up on their next call. */
  public void setCredentials(
      String tenant, String warehouse, CredentialType type, String accessKeyId, Secret secretAccessKey) {
    WarehouseConfig current = warehouse(tenant, warehouse);
    type.requireFit(warehouse, current.storageRoot(), accessKeyId, secretAccessKey);
    WarehouseSettings.requireComplete(tenant + "/" + warehouse, current.settings(), type);
    String sealed = secrets.sealKey(tenant, tenants.keyFingerprint(tenant), warehouse, secretAccessKey);
    warehouses.setCredentials(tenant, warehouse, type.code(), accessKeyId, sealed);
  }

  /** Applies the update to the named settings and locations only; see {@link StorageUpdate}. */
  public void updateStorage(String tenant, String warehouse, StorageUpdate update) {
    update.requireSound(warehouse);
    Map<String, String> valid =
        secrets.sealSettings(tenant, tenants.keyFingerprint(tenant), warehouse,
            WarehouseSettings.validate(warehouse, update.set()));
    update.addAllowed().forEach(l -> StorageLocations.requireValidRoot(warehouse, l));
    WarehouseConfig current = warehouse(tenant, warehouse);
    StorageLocations.requireSameStore(warehouse, current.storageRoot(), List.copyOf(update.addAllowed()));
    List<String> notSet = update.unset().stream().filter(k -> !current.settings().containsKey(k)).sorted().toList();
    List<String> removed = update.removeAllowed().stream().map(StorageLocations::normalize).toList();
    List<String> notAllowed = removed.stream().filter(l -> !current.allowedLocations().contains(l)).toList();
    if (!notSet.isEmpty()) {
      throw new IllegalArgumentException("Cannot unset " + notSet + " in warehouse '" + tenant + "/" + warehouse
          + "': it has no such setting (its settings: " + current.settings().keySet() + ")");
    }
    Map<String, String> merged = new HashMap<>(current.settings());
    merged.putAll(valid);
    update.unset().forEach(merged::remove);
    WarehouseSettings.requireComplete(tenant + "/" + warehouse, merged, current.credentialType());
    if (!notAllowed.isEmpty()) {
      throw new IllegalArgumentException("Cannot remove allowed location(s) " + notAllowed + " from warehouse '"
          + tenant + "/" + warehouse + "': not among its allowed locations " + current.allowedLocations());
    }
    warehouses.updateStorage(tenant, warehouse, valid, List.copyOf(update.unset()),
        update.addAllowed().stream().map(StorageLocations::normalize).toList(), removed);
  }

  public void deleteWarehouse(String tenant, String name) {
    warehouses.delete(tenant, name);
  }

  // Catalogs

  public void createCatalog(String tenant, String name, String warehouse, String jdbcName, Map<String, String> props) {
    catalogs.createCatalog(tenant, name, warehouse, jdbcName, props);
  }

  public List<CatalogSummary> listCatalogs(String tenant) {
    return catalogs.listCatalogs(tenant);
  }

  public void deleteCatalog(String tenant, String name) {
    catalogs.deleteCatalog(tenant, name);
  }

  /** Every namespace of a catalog, as level lists. */
  public List<List<String>> listNamespaces(String tenant, String catalog) {
    return catalogs.listNamespaces(tenant, catalog);
  }

  /** Every table and view of a catalog. */
  public List<RelationSummary> listRelations(String tenant, String catalog) {
    return catalogs.listRelations(tenant, catalog);
  }

  // Keys

  /** Each tenant the principal sees, with the fingerprint of its own key; null: still the shared master key. */
  public Map<String, String> tenantKeys() {
    return tenants.keyFingerprints();
  }

  /**
   * Seals every secret of the tenant's warehouses again with {@code to}, the tenant's new key, opening them with
   * {@code from} (the tenant's current key, or the shared master key while it has none; may be absent when the
   * tenant has no sealed secret), and records {@code to}'s fingerprint as the tenant's key: in one statement of the
   * database's, as one of the tenant's administrators. Gives a tenant its first key (the upgrade path from the
   * shared master key) and rotates it. Returns how many warehouses were re-sealed.
   */
  public int resealTenant(String tenant, Optional<SecretCipher> from, SecretCipher to) {
    requireNonNull(from, "from");
    requireNonNull(to, "to");
    Optional<String> recorded = tenants.keyFingerprint(tenant);
    if (recorded.isPresent() && from.isPresent() && !from.get().keyId().equals(recorded.get())) {
      throw new IllegalArgumentException("Cannot re-seal the secrets of tenant '" + tenant + "': they are sealed with"
          + " its key of fingerprint " + recorded.get() + ", and the key to re-seal from has fingerprint "
          + from.get().keyId() + " (key fingerprint mismatch). Give the tenant's current key as --from-key-file.");
    }
    WarehouseSecrets opener = new WarehouseSecrets(new Sealer(Keyring.of(from, Optional.empty())));
    Sealer sealer = new Sealer(Keyring.tenantKey(to));
    StringBuilder json = new StringBuilder("{");
    String sep = "";
    for (WarehouseRow row : warehouses.list(tenant)) {
      json.append(sep).append(WarehouseSecrets.quoted(row.name())).append(':')
          .append(opener.resealed(row, recorded, sealer, to.keyId()));
      sep = ",";
    }
    return tenants.reseal(tenant, from.map(SecretCipher::keyId).orElse(recorded.orElse(null)), to.keyId(),
        json.append('}').toString());
  }

  private WarehouseConfig config(WarehouseRow row) {
    Optional<String> tenantKey = Optional.ofNullable(row.tenantKeyFingerprint());
    return new WarehouseConfig(row.id(), row.tenant(), row.name(), row.storageRoot(), row.allowedLocations(),
        row.settings(), CredentialType.fromCode(row.credentialType()), row.accessKeyId(),
        secrets.openKeyOnUse(row.tenant(), tenantKey, row.name(), row.sealedSecretAccessKey()), row.configVersion(),
        secrets.openSettingsOnUse(row.tenant(), tenantKey, row.name(), row.settings()));
  }
}
