package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns a stored warehouse into the FileIO properties that reach its object store. The only credentials that
 * ever reach S3FileIO are the warehouse's own, or, when the warehouse says so, none (so the AWS SDK uses the
 * engine's default chain), or, for a warehouse that signs remotely, none but a token for pangolin serve, which
 * signs every request with the warehouse's key. Region is always set, so it is never taken from the engine's
 * environment either.
 */
public final class StorageResolver {

  /**
   * How an engine's catalog reaches the pangolin serve that signs for it: the catalog's REST prefix (its JDBC
   * catalog name) and a source of tokens for the principal the catalog works as, asked once per FileIO built.
   */
  public record Signer(String catalogPrefix, Supplier<Token> tokens) {

    public Signer {
      requireNonNull(catalogPrefix, "catalogPrefix");
      requireNonNull(tokens, "tokens");
    }
  }

  /** A token and when it ends: the signer exchanges it for a new one before then, which it can only plan knowing. */
  public record Token(Secret value, Instant expiresAt) {

    public Token {
      requireNonNull(value, "value");
      requireNonNull(expiresAt, "expiresAt");
    }
  }

  static final String S3_ENDPOINT = "s3.endpoint";
  static final String S3_PATH_STYLE = "s3.path-style-access";
  static final String S3_ACCESS_KEY_ID = "s3.access-key-id";
  static final String S3_SECRET_ACCESS_KEY = "s3.secret-access-key";
  static final String CLIENT_REGION = "client.region";
  static final String LEGACY_MD5 = "client.legacy-md5-plugin-enabled";
  static final String S3_CLIENT_FACTORY = "s3.client-factory-impl";
  static final String REMOTE_SIGNING_ENABLED = "s3.remote-signing-enabled";
  static final String SIGNER_BASE_URI = "uri";
  static final String SIGNER_ENDPOINT = "rest.remote-signing.endpoint";
  static final String SIGNER_TOKEN = "token";
  static final String SIGNER_TOKEN_REFRESH = "token-refresh-enabled";
  static final String SIGNER_TOKEN_EXPIRES_IN_MS = "token-expires-in-ms";

  private final Signer signer;

  /**
   * Resolves every warehouse with its own credentials: for pangolin serve and the admin tools, which may read the
   * key of a warehouse that signs remotely (pangolin serve through pangolin.warehouse_signing_key).
   */
  public StorageResolver() {
    this.signer = null;
  }

  /** Resolves a warehouse that signs remotely to signing through {@code signer}, holding no key. */
  public StorageResolver(Signer signer) {
    this.signer = requireNonNull(signer, "signer");
  }

  public ResolvedStorage resolve(WarehouseConfig warehouse) {
    Map<String, String> settings = WarehouseSettings.validate(warehouse.name(), warehouse.settings());
    WarehouseSettings.requireComplete(warehouse.qualifiedName(), settings, warehouse.credentialType());
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
    if (signer != null && WarehouseSettings.signsRemotely(settings)) {
      addSigning(props, settings.get(WarehouseSettings.SIGNER_URI));
    } else {
      addCredentials(props, warehouse);
    }
    props.put(WarehouseFileIO.WAREHOUSE_PROPERTY, warehouse.qualifiedName());
    LocationPolicy.addTo(props, warehouse.storageRoot(), warehouse.allowedLocations());
    return new ResolvedStorage(
        warehouse.qualifiedName(), warehouse.configVersion(), warehouse.storageRoot(),
        warehouse.allowedLocations(), props);
  }

  /** No key: every request goes to pangolin serve's sign route, with a token it refreshes by exchange. */
  private void addSigning(Map<String, String> props, String signerUri) {
    props.put(REMOTE_SIGNING_ENABLED, "true");
    props.put(SIGNER_BASE_URI, signerUri.replaceAll("/+$", ""));
    props.put(SIGNER_ENDPOINT, "v1/" + signer.catalogPrefix() + "/sign");
    Token token = signer.tokens().get();
    props.put(SIGNER_TOKEN, token.value().reveal());
    props.put(SIGNER_TOKEN_EXPIRES_IN_MS,
        Long.toString(Math.max(0, Duration.between(Instant.now(), token.expiresAt()).toMillis())));
    props.put(SIGNER_TOKEN_REFRESH, "true");
  }

  private static void addCredentials(Map<String, String> props, WarehouseConfig warehouse) {
    switch (warehouse.credentialType()) {
      case STATIC -> {
        if (warehouse.accessKeyId() == null || warehouse.secretAccessKey() == null) {
          throw new IllegalStateException(WarehouseSettings.signsRemotely(warehouse.settings())
              ? "Warehouse '" + warehouse.qualifiedName() + "' signs through pangolin serve ("
                  + WarehouseSettings.STORAGE_ACCESS + "=" + WarehouseSettings.STORAGE_ACCESS_REMOTE_SIGNING + "), and"
                  + " only pangolin serve reads its key: reach its tables through a Pangolin catalog, which signs"
                  + " through pangolin serve"
              : "Warehouse '" + warehouse.qualifiedName() + "' uses static credentials but has no access key or"
                  + " secret; set them with 'pangolin warehouse set-credentials'");
        }
        props.put(S3_ACCESS_KEY_ID, warehouse.accessKeyId());
        props.put(S3_SECRET_ACCESS_KEY, warehouse.secretAccessKey().reveal());
      }
      case ENGINE_IDENTITY -> { }
      case NONE -> props.put(WarehouseFileIO.OBJECT_STORE_PROPERTY, "false");
    }
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
