package io.pangolin.warehouse;

import io.pangolin.security.Secret;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a stored warehouse into the FileIO properties that reach its object store. The only credentials that
 * ever reach S3FileIO are the warehouse's own, or, when the warehouse says so, none (so the AWS SDK uses the
 * engine's default chain). Region is always set, so it is never taken from the engine's environment either.
 */
public final class StorageResolver {

  static final String S3_ENDPOINT = "s3.endpoint";
  static final String S3_PATH_STYLE = "s3.path-style-access";
  static final String S3_ACCESS_KEY_ID = "s3.access-key-id";
  static final String S3_SECRET_ACCESS_KEY = "s3.secret-access-key";
  static final String CLIENT_REGION = "client.region";
  static final String LEGACY_MD5 = "client.legacy-md5-plugin-enabled";
  static final String S3_CLIENT_FACTORY = "s3.client-factory-impl";

  public ResolvedStorage resolve(WarehouseConfig warehouse) {
    Map<String, String> settings = WarehouseSettings.validate(warehouse.name(), warehouse.settings());
    Map<String, String> props = new HashMap<>();
    settings.forEach((key, value) -> {
      if (key.startsWith(WarehouseSettings.FILEIO_PREFIX)) {
        props.put(key.substring(WarehouseSettings.FILEIO_PREFIX.length()), WarehouseSettings.isSecret(key)
            ? openSecretSetting(warehouse, key) : value);
      }
    });
    props.put(CLIENT_REGION, settings.getOrDefault(WarehouseSettings.REGION, WarehouseSettings.REGION_DEFAULT));
    if (settings.containsKey(WarehouseSettings.ENDPOINT)) {
      props.put(S3_ENDPOINT, settings.get(WarehouseSettings.ENDPOINT));
    }
    props.put(S3_PATH_STYLE, settings.getOrDefault(WarehouseSettings.PATH_STYLE_ACCESS, "false"));
    if (WarehouseSettings.CHECKSUM_WHEN_REQUIRED.equals(settings.get(WarehouseSettings.CHECKSUM_MODE))) {
      props.put(LEGACY_MD5, "true");
      props.put(S3_CLIENT_FACTORY, PangolinS3ClientFactory.class.getName());
      props.put(WarehouseFileIO.SINGLE_OBJECT_DELETES_PROPERTY, "true");
    }
    switch (warehouse.credentialType()) {
      case STATIC -> {
        if (warehouse.accessKeyId() == null || warehouse.secretAccessKey() == null) {
          throw new IllegalStateException("Warehouse '" + warehouse.qualifiedName() + "' uses static credentials"
              + " but has no access key or secret; set them with 'pangolin warehouse set-credentials'");
        }
        props.put(S3_ACCESS_KEY_ID, warehouse.accessKeyId());
        props.put(S3_SECRET_ACCESS_KEY, warehouse.secretAccessKey().reveal());
      }
      case ENGINE_IDENTITY -> { }
      case NONE -> props.put(WarehouseFileIO.OBJECT_STORE_PROPERTY, "false");
    }
    props.put(WarehouseFileIO.WAREHOUSE_PROPERTY, warehouse.qualifiedName());
    LocationPolicy.addTo(props, warehouse.storageRoot(), warehouse.allowedLocations());
    return new ResolvedStorage(
        warehouse.qualifiedName(), warehouse.configVersion(), warehouse.storageRoot(),
        warehouse.allowedLocations(), props);
  }

  private static String openSecretSetting(WarehouseConfig warehouse, String key) {
    Secret secret = warehouse.secretSettings().get(key);
    if (secret == null) {
      throw new IllegalStateException("Warehouse '" + warehouse.qualifiedName() + "' has setting '" + key
          + "' but its value could not be read; set it again with 'pangolin warehouse update --secret-setting "
          + key + "=env:VAR'");
    }
    return secret.reveal();
  }
}
