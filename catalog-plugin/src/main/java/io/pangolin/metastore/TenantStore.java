package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.*;
import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageLocations;
import io.pangolin.warehouse.WarehouseConfig;
import io.pangolin.warehouse.WarehouseSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tenants, their warehouses and their catalogs. Warehouse secrets are encrypted with the master key before they
 * are written and decrypted when a warehouse is read; without a master key, no secret can be stored or used.
 * Uses no Iceberg class, so the admin command line runs on the plugin jar alone.
 */
public final class TenantStore {

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

  /** A catalog as listed. */
  public record CatalogSummary(String name, String warehouse, String jdbcName) {}

  /** A table or view as listed: its namespace levels, name, kind and current metadata file. */
  public record RelationSummary(List<String> namespace, String name, String kind, String metadataLocation) {}

  private final Database db;
  private final Optional<SecretCipher> cipher;

  public TenantStore(Database db, Optional<SecretCipher> cipher) {
    this.db = requireNonNull(db, "db");
    this.cipher = requireNonNull(cipher, "cipher");
  }

  // Tenants

  public long createTenant(String name) {
    return db.run("create tenant '" + name + "'", nameErrors("tenant", name), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_TENANT)) {
        stmt.setString(1, name);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  public List<String> listTenants() {
    return db.run("list tenants", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_TENANTS); ResultSet rs = stmt.executeQuery()) {
        List<String> out = new ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    });
  }

  public void deleteTenant(String name) {
    int deleted = db.run("delete tenant '" + name + "'", inUse("Tenant '" + name + "' still has warehouses or"
        + " catalogs; delete them first"), conn -> update(conn, DELETE_TENANT, name));
    if (deleted == 0) {
      throw unknownTenant(name);
    }
  }

  // Warehouses

  public long createWarehouse(NewWarehouse w) {
    Map<String, String> settings = WarehouseSettings.validate(w.name(), w.settings());
    StorageLocations.requireValidRoot(w.name(), w.storageRoot());
    w.allowedLocations().forEach(l -> StorageLocations.requireValidRoot(w.name(), l));
    StorageLocations.requireSameStore(w.name(), w.storageRoot(), w.allowedLocations());
    requireCredentialsFit(w.name(), w.storageRoot(), w.credentialType(), w.accessKeyId(), w.secretAccessKey());
    String sealed = seal(w.tenant(), w.name(), w.secretAccessKey());
    Map<String, String> stored = sealSecretSettings(w.tenant(), w.name(), settings);
    Long id = db.run("create warehouse '" + w.name() + "'", nameErrors("warehouse", w.name()), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_WAREHOUSE)) {
        stmt.setString(1, w.name());
        stmt.setString(2, StorageLocations.normalize(w.storageRoot()));
        stmt.setArray(3, textArray(conn, w.allowedLocations().stream().map(StorageLocations::normalize).toList()));
        SqlArrays.setProperties(conn, stmt, 4, stored);
        stmt.setString(6, w.credentialType().code());
        stmt.setString(7, w.accessKeyId());
        stmt.setString(8, sealed);
        stmt.setString(9, w.tenant());
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() ? rs.getLong(1) : null;
        }
      }
    });
    if (id == null) {
      throw unknownTenant(w.tenant());
    }
    return id;
  }

  public WarehouseConfig loadWarehouse(long id) {
    return db.run("load warehouse " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_ID)) {
        stmt.setLong(1, id);
        List<WarehouseConfig> found = readWarehouses(stmt);
        if (found.isEmpty()) {
          throw new NoSuchObjectException("Warehouse " + id + " does not exist");
        }
        return found.get(0);
      }
    });
  }

  public Optional<WarehouseConfig> findWarehouse(String tenant, String name) {
    return db.run("load warehouse '" + name + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_NAME)) {
        stmt.setString(1, tenant);
        stmt.setString(2, name);
        return readWarehouses(stmt).stream().findFirst();
      }
    });
  }

  public WarehouseConfig warehouse(String tenant, String name) {
    return findWarehouse(tenant, name).orElseThrow(() -> unknownWarehouse(tenant, name));
  }

  public List<WarehouseConfig> listWarehouses(String tenant) {
    return db.run("list warehouses of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_WAREHOUSES)) {
        stmt.setString(1, tenant);
        return readWarehouses(stmt);
      }
    });
  }

  /** Replaces a warehouse's credentials; running catalogs pick them up on their next call. */
  public void setCredentials(
      String tenant, String warehouse, CredentialType type, String accessKeyId, Secret secretAccessKey) {
    WarehouseConfig current = warehouse(tenant, warehouse);
    requireCredentialsFit(warehouse, current.storageRoot(), type, accessKeyId, secretAccessKey);
    String sealed = seal(tenant, warehouse, secretAccessKey);
    db.run("set credentials of warehouse '" + warehouse + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_WAREHOUSE_CREDENTIALS)) {
        stmt.setString(1, type.code());
        stmt.setString(2, accessKeyId);
        stmt.setString(3, sealed);
        stmt.setString(4, tenant);
        stmt.setString(5, warehouse);
        return stmt.executeUpdate();
      }
    });
  }

  /** Applies the update to the named settings and locations only; see {@link StorageUpdate}. */
  public void updateStorage(String tenant, String warehouse, StorageUpdate update) {
    update.requireSound(warehouse);
    Map<String, String> valid = sealSecretSettings(tenant, warehouse, WarehouseSettings.validate(warehouse, update.set()));
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
    if (!notAllowed.isEmpty()) {
      throw new IllegalArgumentException("Cannot remove allowed location(s) " + notAllowed + " from warehouse '"
          + tenant + "/" + warehouse + "': not among its allowed locations " + current.allowedLocations());
    }
    int updated = db.run("update warehouse '" + warehouse + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(UPDATE_WAREHOUSE_STORAGE)) {
        SqlArrays.setProperties(conn, stmt, 1, valid);
        stmt.setArray(3, textArray(conn, List.copyOf(update.unset())));
        stmt.setArray(4, textArray(conn, update.addAllowed().stream().map(StorageLocations::normalize).toList()));
        stmt.setArray(5, textArray(conn, removed));
        stmt.setString(6, tenant);
        stmt.setString(7, warehouse);
        return stmt.executeUpdate();
      }
    });
    if (updated == 0) {
      throw unknownWarehouse(tenant, warehouse);
    }
  }

  public void deleteWarehouse(String tenant, String name) {
    int deleted = db.run("delete warehouse '" + name + "'", inUse("Warehouse '" + name + "' is used by catalogs;"
        + " delete them first"), conn -> update(conn, DELETE_WAREHOUSE, tenant, name));
    if (deleted == 0) {
      throw unknownWarehouse(tenant, name);
    }
  }

  // Catalogs

  public long createCatalog(String tenant, String name, String warehouse, String jdbcName, Map<String, String> props) {
    String jdbc = jdbcName != null ? jdbcName : tenant + "_" + name;
    Long id = db.run("create catalog '" + name + "'", e -> {
      if (SqlErrors.is(e, SqlErrors.NOT_NULL_VIOLATION)) {
        return new NoSuchObjectException("Cannot create catalog '" + name + "': tenant '" + tenant
            + "' has no warehouse '" + warehouse + "'; create it first with 'pangolin warehouse create'");
      }
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION) && e.getMessage().contains("jdbc_name")) {
        return new ObjectExistsException("Cannot create catalog '" + name + "': its JDBC-catalog name '" + jdbc
            + "' is taken by another catalog; choose another with --jdbc-name");
      }
      return nameErrors("catalog", name).apply(e);
    }, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_CATALOG)) {
        stmt.setString(1, name);
        stmt.setString(2, warehouse);
        stmt.setString(3, jdbc);
        SqlArrays.setProperties(conn, stmt, 4, props);
        stmt.setString(6, tenant);
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() ? rs.getLong(1) : null;
        }
      }
    });
    if (id == null) {
      throw unknownTenant(tenant);
    }
    return id;
  }

  public List<CatalogSummary> listCatalogs(String tenant) {
    return db.run("list catalogs of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_CATALOGS)) {
        stmt.setString(1, tenant);
        List<CatalogSummary> out = new ArrayList<>();
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            out.add(new CatalogSummary(rs.getString(1), rs.getString(2), rs.getString(3)));
          }
        }
        return out;
      }
    });
  }

  public void deleteCatalog(String tenant, String name) {
    int deleted = db.run("delete catalog '" + name + "'", inUse("Catalog '" + name + "' still has namespaces;"
        + " drop its tables, views and namespaces first"), conn -> update(conn, DELETE_CATALOG, tenant, name));
    if (deleted == 0) {
      throw new NoSuchObjectException("Unknown catalog '" + name + "' in tenant '" + tenant + "'");
    }
  }

  /** Every namespace of a catalog, as level lists. */
  public List<List<String>> listNamespaces(String tenant, String catalog) {
    return db.run("list namespaces of catalog '" + catalog + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_ALL_NAMESPACES)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog);
        List<List<String>> out = new ArrayList<>();
        boolean exists = false;
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            exists = true;
            Array levels = rs.getArray(1);
            if (levels != null) {
              out.add(List.of((String[]) levels.getArray()));
            }
          }
        }
        if (!exists) {
          throw new NoSuchObjectException("Unknown catalog '" + catalog + "' in tenant '" + tenant + "'");
        }
        return out;
      }
    });
  }

  /** Every table and view of a catalog. */
  public List<RelationSummary> listRelations(String tenant, String catalog) {
    listNamespaces(tenant, catalog);
    return db.run("list tables of catalog '" + catalog + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_ALL_RELATIONS)) {
        stmt.setString(1, tenant);
        stmt.setString(2, catalog);
        List<RelationSummary> out = new ArrayList<>();
        try (ResultSet rs = stmt.executeQuery()) {
          while (rs.next()) {
            out.add(new RelationSummary(List.of((String[]) rs.getArray(1).getArray()), rs.getString(2),
                rs.getString(3), rs.getString(4)));
          }
        }
        return out;
      }
    });
  }

  // Helpers

  private String seal(String tenant, String warehouse, Secret secret) {
    return secret == null ? null : sealAs(tenant + "/" + warehouse, "the secret of warehouse '" + tenant + "/"
        + warehouse + "'", secret);
  }

  private String sealAs(String context, String what, Secret secret) {
    SecretCipher key = cipher.orElseThrow(() -> new IllegalStateException("Cannot store " + what
        + ": secrets are stored encrypted and no master key was given. Set"
        + " PANGOLIN_MASTER_KEY (or --master-key-file); generate a key with 'pangolin key generate'."));
    return key.encrypt(secret, context);
  }

  /**
   * Writes the values of secret settings sealed, bound to tenant, warehouse and key. A value that is already
   * sealed (a setting read back and written again) is kept as it is once it is shown to open for exactly this
   * warehouse and key, so a sealed value copied from another row is refused.
   */
  private Map<String, String> sealSecretSettings(String tenant, String warehouse, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>(settings);
    out.replaceAll((key, value) -> {
      if (!WarehouseSettings.isSecret(key)) {
        return value;
      }
      String context = settingContext(tenant, warehouse, key);
      if (SecretCipher.isEncrypted(value)) {
        open(context, value);
        return value;
      }
      return sealAs(context, "setting '" + key + "' of warehouse '" + tenant + "/" + warehouse + "'", Secret.of(value));
    });
    return out;
  }

  private static String settingContext(String tenant, String warehouse, String key) {
    return tenant + "/" + warehouse + ":" + key;
  }

  private Secret sealedSecret(String context, String stored) {
    return stored == null ? null : Secret.sealed(() -> open(context, stored).reveal());
  }

  private Secret open(String context, String stored) {
    SecretCipher key = cipher.orElseThrow(() -> new IllegalStateException("Warehouse '" + context + "' has an"
        + " encrypted secret but no master key was given: an engine takes it from the catalog property"
        + " 'pangolin.master-key-file' or the environment variable PANGOLIN_MASTER_KEY (named by"
        + " 'pangolin.master-key-env'); the admin command line from --master-key-file FILE or PANGOLIN_MASTER_KEY"));
    return key.decrypt(stored, context);
  }

  /**
   * Secret settings as stored: sealed ones open on use; a value stored in clear before secret settings were
   * sealed is used as it is (masked like the others) and sealed by the next write of the warehouse's settings.
   */
  private Map<String, Secret> secretSettings(String tenant, String warehouse, Map<String, String> settings) {
    Map<String, Secret> out = new LinkedHashMap<>();
    settings.forEach((key, value) -> {
      if (WarehouseSettings.isSecret(key) && !value.isEmpty()) {
        out.put(key, SecretCipher.isEncrypted(value)
            ? sealedSecret(settingContext(tenant, warehouse, key), value) : Secret.of(value));
      }
    });
    return out;
  }

  private List<WarehouseConfig> readWarehouses(PreparedStatement stmt) throws SQLException {
    List<WarehouseConfig> out = new ArrayList<>();
    try (ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        String[] keys = (String[]) rs.getArray("setting_keys").getArray();
        String[] values = (String[]) rs.getArray("setting_values").getArray();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
          settings.put(keys[i], values[i]);
        }
        String tenant = rs.getString("tenant");
        String name = rs.getString("name");
        out.add(new WarehouseConfig(
            rs.getLong("id"),
            tenant,
            name,
            rs.getString("storage_root"),
            Arrays.asList((String[]) rs.getArray("allowed_locations").getArray()),
            settings,
            CredentialType.fromCode(rs.getString("credential_type")),
            rs.getString("access_key_id"),
            sealedSecret(tenant + "/" + name, rs.getString("secret_access_key")),
            rs.getLong("config_version"),
            secretSettings(tenant, name, settings)));
      }
    }
    return out;
  }

  private static int update(Connection conn, String sql, String... args) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        stmt.setString(i + 1, args[i]);
      }
      return stmt.executeUpdate();
    }
  }

  private static void requireCredentialsFit(
      String warehouse, String root, CredentialType type, String accessKeyId, Secret secret) {
    switch (type) {
      case STATIC -> {
        if (accessKeyId == null || accessKeyId.isBlank() || secret == null) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' uses static credentials: give both an"
              + " access key id and a secret access key");
        }
      }
      case ENGINE_IDENTITY, NONE -> {
        if (accessKeyId != null || secret != null) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' uses credential type '" + type.code()
              + "', which takes no access key or secret");
        }
        if (type == CredentialType.NONE && !root.startsWith("file:")) {
          throw new IllegalArgumentException("Warehouse '" + warehouse + "' stores to " + root + " and needs"
              + " credentials: use 'static' (its own keys) or 'engine-identity' (the engine's own identity)");
        }
      }
    }
  }

  private static Array textArray(Connection conn, List<String> values) throws SQLException {
    return conn.createArrayOf("text", values.toArray(new String[0]));
  }

  private static Function<SQLException, RuntimeException> nameErrors(String kind, String name) {
    return e -> {
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        return new ObjectExistsException(Character.toUpperCase(kind.charAt(0)) + kind.substring(1) + " '" + name
            + "' already exists");
      }
      if (SqlErrors.is(e, SqlErrors.CHECK_VIOLATION) && e.getMessage().contains("object_name")) {
        return new IllegalArgumentException("Invalid " + kind + " name '" + name + "': use 1 to 63 letters, digits,"
            + " '_' or '-', starting with a letter or digit");
      }
      return null;
    };
  }

  private static Function<SQLException, RuntimeException> inUse(String message) {
    return e -> SqlErrors.is(e, SqlErrors.FOREIGN_KEY_VIOLATION) ? new ObjectInUseException(message) : null;
  }

  static NoSuchObjectException unknownTenant(String tenant) {
    return new NoSuchObjectException(
        "Unknown tenant '" + tenant + "': create it first with 'pangolin tenant create " + tenant + "'");
  }

  static NoSuchObjectException unknownWarehouse(String tenant, String warehouse) {
    return new NoSuchObjectException("Unknown warehouse '" + warehouse + "' in tenant '" + tenant + "'");
  }
}
