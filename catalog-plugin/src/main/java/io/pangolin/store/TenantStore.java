package io.pangolin.store;

import static io.pangolin.store.TenantSql.*;
import static java.util.Objects.requireNonNull;

import io.pangolin.security.Secret;
import io.pangolin.storage.CredentialType;
import io.pangolin.storage.StorageLocations;
import io.pangolin.storage.WarehouseConfig;
import io.pangolin.storage.WarehouseSettings;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** Tenants, their warehouses and their catalogs. */
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

  private final Database db;

  public TenantStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  public long createTenant(String name) {
    return db.run("create tenant '" + name + "'", nameErrors("tenant", name, "Tenant"), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_TENANT)) {
        stmt.setString(1, name);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
  }

  public long createWarehouse(NewWarehouse w) {
    Map<String, String> settings = WarehouseSettings.validate(w.name(), w.settings());
    StorageLocations.requireValidRoot(w.name(), w.storageRoot());
    w.allowedLocations().forEach(l -> StorageLocations.requireValidRoot(w.name(), l));
    requireCredentialsFit(w.name(), w.storageRoot(), w.credentialType(), w.accessKeyId(), w.secretAccessKey());
    Function<SQLException, RuntimeException> errors = nameErrors("warehouse", w.name(), "Warehouse");
    Long id = db.run("create warehouse '" + w.name() + "'", errors, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_WAREHOUSE)) {
        stmt.setString(1, w.name());
        stmt.setString(2, StorageLocations.normalize(w.storageRoot()));
        stmt.setArray(3, textArray(conn, w.allowedLocations().stream().map(StorageLocations::normalize).toList()));
        CatalogStore.setProperties(conn, stmt, 4, settings);
        stmt.setString(6, w.credentialType().code());
        stmt.setString(7, w.accessKeyId());
        stmt.setString(8, w.secretAccessKey() == null ? null : w.secretAccessKey().reveal());
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

  public long createCatalog(String tenant, String name, String warehouse, String jdbcName, Map<String, String> props) {
    String jdbc = jdbcName != null ? jdbcName : tenant + "_" + name;
    Long id = db.run("create catalog '" + name + "'", e -> {
      if (SqlErrors.is(e, SqlErrors.NOT_NULL_VIOLATION)) {
        return new NoSuchObjectException("Cannot create catalog '" + name + "': tenant '" + tenant
            + "' has no warehouse '" + warehouse + "'; create it first with 'pangolin warehouse create'");
      }
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION) && e.getMessage().contains("jdbc_name")) {
        return new AlreadyExistsException("Cannot create catalog '%s': its JDBC-catalog name '%s' is taken by"
            + " another catalog; choose another with --jdbc-name", name, jdbc);
      }
      return nameErrors("catalog", name, "Catalog").apply(e);
    }, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_CATALOG)) {
        stmt.setString(1, name);
        stmt.setString(2, warehouse);
        stmt.setString(3, jdbc);
        CatalogStore.setProperties(conn, stmt, 4, props);
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

  public WarehouseConfig loadWarehouse(long id) {
    return db.run("load warehouse " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_ID)) {
        stmt.setLong(1, id);
        return readWarehouse(stmt).orElseThrow(() -> new NoSuchObjectException("Warehouse " + id + " does not exist"));
      }
    });
  }

  public Optional<WarehouseConfig> findWarehouse(String tenant, String name) {
    return db.run("load warehouse '" + name + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_NAME)) {
        stmt.setString(1, tenant);
        stmt.setString(2, name);
        return readWarehouse(stmt);
      }
    });
  }

  /** Replaces a warehouse's credentials; running catalogs pick them up on their next call. */
  public void setCredentials(
      String tenant, String warehouse, CredentialType type, String accessKeyId, Secret secretAccessKey) {
    WarehouseConfig current = findWarehouse(tenant, warehouse).orElseThrow(() -> unknownWarehouse(tenant, warehouse));
    requireCredentialsFit(warehouse, current.storageRoot(), type, accessKeyId, secretAccessKey);
    db.run("set credentials of warehouse '" + warehouse + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_WAREHOUSE_CREDENTIALS)) {
        stmt.setString(1, type.code());
        stmt.setString(2, accessKeyId);
        stmt.setString(3, secretAccessKey == null ? null : secretAccessKey.reveal());
        stmt.setString(4, tenant);
        stmt.setString(5, warehouse);
        return stmt.executeUpdate();
      }
    });
  }

  /** Replaces a warehouse's storage settings and extra allowed locations. */
  public void setStorage(String tenant, String warehouse, Map<String, String> settings, List<String> allowed) {
    Map<String, String> valid = WarehouseSettings.validate(warehouse, settings);
    allowed.forEach(l -> StorageLocations.requireValidRoot(warehouse, l));
    int updated = db.run("update warehouse '" + warehouse + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_WAREHOUSE_STORAGE)) {
        CatalogStore.setProperties(conn, stmt, 1, valid);
        stmt.setArray(3, textArray(conn, allowed.stream().map(StorageLocations::normalize).toList()));
        stmt.setString(4, tenant);
        stmt.setString(5, warehouse);
        return stmt.executeUpdate();
      }
    });
    if (updated == 0) {
      throw unknownWarehouse(tenant, warehouse);
    }
  }

  private static Optional<WarehouseConfig> readWarehouse(PreparedStatement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      String[] keys = (String[]) rs.getArray("setting_keys").getArray();
      String[] values = (String[]) rs.getArray("setting_values").getArray();
      Map<String, String> settings = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        settings.put(keys[i], values[i]);
      }
      String secret = rs.getString("secret_access_key");
      return Optional.of(new WarehouseConfig(
          rs.getLong("id"),
          rs.getString("tenant"),
          rs.getString("name"),
          rs.getString("storage_root"),
          Arrays.asList((String[]) rs.getArray("allowed_locations").getArray()),
          settings,
          CredentialType.fromCode(rs.getString("credential_type")),
          rs.getString("access_key_id"),
          secret == null ? null : Secret.of(secret),
          rs.getLong("config_version")));
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

  private static Function<SQLException, RuntimeException> nameErrors(String kind, String name, String label) {
    return e -> {
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        return new AlreadyExistsException("%s '%s' already exists", label, name);
      }
      if (SqlErrors.is(e, SqlErrors.CHECK_VIOLATION) && e.getMessage().contains("object_name")) {
        return new IllegalArgumentException("Invalid " + kind + " name '" + name + "': use 1 to 63 letters, digits,"
            + " '_' or '-', starting with a letter or digit");
      }
      return null;
    };
  }

  static NoSuchObjectException unknownTenant(String tenant) {
    return new NoSuchObjectException(
        "Unknown tenant '" + tenant + "': create it first with 'pangolin tenant create " + tenant + "'");
  }

  static NoSuchObjectException unknownWarehouse(String tenant, String warehouse) {
    return new NoSuchObjectException("Unknown warehouse '" + warehouse + "' in tenant '" + tenant + "'");
  }
}
