package io.pangolin.storage;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import java.util.List;
import java.util.Map;

/**
 * A warehouse as stored in the catalog database (step one of three: stored config, resolved storage, FileIO).
 * The secret is only ever held as a {@link Secret}.
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
    long configVersion) {

  public WarehouseConfig {
    requireNonNull(tenant, "tenant");
    requireNonNull(name, "name");
    requireNonNull(storageRoot, "storageRoot");
    requireNonNull(credentialType, "credentialType");
    allowedLocations = List.copyOf(allowedLocations);
    settings = Map.copyOf(settings);
  }

  /** The name used in messages: tenant/warehouse. */
  public String qualifiedName() {
    return tenant + "/" + name;
  }

  @Override
  public String toString() {
    return "WarehouseConfig{" + qualifiedName() + ", root=" + storageRoot + ", allowed=" + allowedLocations
        + ", settings=" + settings + ", credentials=" + credentialType.code()
        + (accessKeyId != null ? ", accessKeyId=" + accessKeyId + ", secretAccessKey=***" : "")
        + ", version=" + configVersion + "}";
  }
}
