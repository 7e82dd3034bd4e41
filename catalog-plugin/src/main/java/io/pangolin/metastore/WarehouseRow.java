package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * A warehouses row as stored: settings and the secret access key hold sealed values, never clear ones; the
 * credential type is its stored code. The layer above turns it into the warehouse package's config.
 * {@code tenantKeyFingerprint} is the fingerprint of the tenant's own key, null while the tenant has none.
 */
public record WarehouseRow(
    long id,
    String tenant,
    String name,
    String storageRoot,
    List<String> allowedLocations,
    Map<String, String> settings,
    String credentialType,
    String accessKeyId,
    String sealedSecretAccessKey,
    long configVersion,
    String tenantKeyFingerprint) {

  public WarehouseRow {
    requireNonNull(tenant, "tenant");
    requireNonNull(name, "name");
    requireNonNull(storageRoot, "storageRoot");
    requireNonNull(credentialType, "credentialType");
    allowedLocations = List.copyOf(allowedLocations);
    settings = Map.copyOf(settings);
  }

  /** A row to insert: no id and no version yet. */
  public static WarehouseRow of(String tenant, String name, String storageRoot, List<String> allowedLocations,
      Map<String, String> settings, String credentialType, String accessKeyId, String sealedSecretAccessKey) {
    return new WarehouseRow(0, tenant, name, storageRoot, allowedLocations, settings, credentialType, accessKeyId,
        sealedSecretAccessKey, 0, null);
  }

  /** This row with the key kept apart from it (a remote-signing warehouse's, read by pangolin serve only). */
  public WarehouseRow withKey(String keyId, String sealedSecret) {
    return new WarehouseRow(id, tenant, name, storageRoot, allowedLocations, settings, credentialType, keyId,
        sealedSecret, configVersion, tenantKeyFingerprint);
  }

  @Override
  public String toString() {
    return "WarehouseRow{" + tenant + "/" + name + ", root=" + storageRoot + ", version=" + configVersion + "}";
  }
}
