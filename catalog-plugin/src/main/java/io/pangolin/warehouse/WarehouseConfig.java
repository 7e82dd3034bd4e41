package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import java.util.List;
import java.util.Map;

/**
 * A warehouse as stored in the catalog database (step one of three: stored config, resolved storage, FileIO).
 * The secret, and the values of secret settings ({@link WarehouseSettings#isSecret}), are only ever held as
 * {@link Secret}s; {@link #settings()} holds them as stored (sealed), never in clear once sealed.
 */
public record WarehouseConfig(
    long id,
    String tenant,
    String name,
    String storageRoot,
    List<String> allowedLocations,
    Map<String, String> settings,
    CredentialType credentialType,
    String accessKeyId,
    Secret secretAccessKey,
    long configVersion,
    Map<String, Secret> secretSettings) {

  public WarehouseConfig {
    requireNonNull(tenant, "tenant");
    requireNonNull(name, "name");
    requireNonNull(storageRoot, "storageRoot");
    requireNonNull(credentialType, "credentialType");
    allowedLocations = List.copyOf(allowedLocations);
    settings = Map.copyOf(settings);
    secretSettings = Map.copyOf(secretSettings);
  }

  /** A warehouse without secret settings. */
  public WarehouseConfig(long id, String tenant, String name, String storageRoot, List<String> allowedLocations,
      Map<String, String> settings, CredentialType credentialType, String accessKeyId, Secret secretAccessKey,
      long configVersion) {
    this(id, tenant, name, storageRoot, allowedLocations, settings, credentialType, accessKeyId, secretAccessKey,
        configVersion, Map.of());
  }

  /** The name used in messages: tenant/warehouse. */
  public String qualifiedName() {
    return tenant + "/" + name;
  }

  @Override
  public String toString() {
    return "WarehouseConfig{" + qualifiedName() + ", root=" + storageRoot + ", allowed=" + allowedLocations
        + ", settings=" + WarehouseSettings.masked(settings) + ", credentials=" + credentialType.code()
        + (accessKeyId != null ? ", accessKeyId=" + accessKeyId + ", secretAccessKey=***" : "")
        + ", version=" + configVersion + "}";
  }
}
