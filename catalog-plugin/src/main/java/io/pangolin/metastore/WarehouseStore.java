package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.CREATE_WAREHOUSE;
import static io.pangolin.metastore.TenantSql.DELETE_WAREHOUSE;
import static io.pangolin.metastore.TenantSql.LIST_WAREHOUSES;
import static io.pangolin.metastore.TenantSql.LOAD_WAREHOUSE_BY_ID;
import static io.pangolin.metastore.TenantSql.LOAD_WAREHOUSE_BY_NAME;
import static io.pangolin.metastore.TenantSql.SET_WAREHOUSE_CREDENTIALS;
import static io.pangolin.metastore.TenantSql.UPDATE_WAREHOUSE_STORAGE;
import static io.pangolin.metastore.TenantSql.WAREHOUSE_SIGNING_KEY;
import static java.util.Objects.requireNonNull;

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
 * The warehouses rows. Values arrive validated and sealed, and leave as stored ({@link WarehouseRow}): this
 * class neither checks settings nor sees a secret in clear. Uses no Iceberg class.
 */
public final class WarehouseStore {

  private final Database db;

  public WarehouseStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  public long insert(WarehouseRow w) {
    Function<SQLException, RuntimeException> taken = SqlErrors.nameTaken("warehouse", w.name());
    Function<SQLException, RuntimeException> translate = e -> {
      RuntimeException t = taken.apply(e);
      return t != null ? t : SqlErrors.storageRefused().apply(e);
    };
    Long id = db.run("create warehouse '" + w.name() + "'", translate, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_WAREHOUSE)) {
        stmt.setString(1, w.name());
        stmt.setString(2, w.storageRoot());
        stmt.setArray(3, SqlArrays.text(conn, w.allowedLocations()));
        SqlArrays.setProperties(conn, stmt, 4, w.settings());
        stmt.setString(6, w.credentialType());
        stmt.setString(7, w.accessKeyId());
        stmt.setString(8, w.sealedSecretAccessKey());
        stmt.setString(9, w.tenant());
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          long created = rs.getLong(1);
          return rs.wasNull() ? null : created;
        }
      }
    });
    if (id == null) {
      throw NoSuchObjectException.tenant(w.tenant());
    }
    return id;
  }

  public WarehouseRow load(long id) {
    return db.run("load warehouse " + id, null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_ID)) {
        stmt.setLong(1, id);
        List<WarehouseRow> found = read(stmt);
        if (found.isEmpty()) {
          throw new NoSuchObjectException("Warehouse " + id + " does not exist");
        }
        return found.get(0);
      }
    });
  }

  /**
   * The row with the key kept apart for a warehouse that signs remotely: only pangolin serve's login, acting for a
   * principal who sees a catalog of the warehouse, may read it; anyone else is refused.
   */
  public WarehouseRow loadWithSigningKey(long id) {
    WarehouseRow row = load(id);
    return db.run("load the signing key of warehouse " + row.tenant() + "/" + row.name(), null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(WAREHOUSE_SIGNING_KEY)) {
        stmt.setLong(1, id);
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() ? row.withKey(rs.getString(1), rs.getString(2)) : row;
        }
      }
    });
  }

  public Optional<WarehouseRow> find(String tenant, String name) {
    return db.run("load warehouse '" + name + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOAD_WAREHOUSE_BY_NAME)) {
        stmt.setString(1, tenant);
        stmt.setString(2, name);
        return read(stmt).stream().findFirst();
      }
    });
  }

  public List<WarehouseRow> list(String tenant) {
    return db.run("list warehouses of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LIST_WAREHOUSES)) {
        stmt.setString(1, tenant);
        return read(stmt);
      }
    });
  }

  /** Replaces the credentials; running catalogs pick them up on their next call. */
  public void setCredentials(String tenant, String warehouse, String type, String accessKeyId, String sealed) {
    db.run("set credentials of warehouse '" + warehouse + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_WAREHOUSE_CREDENTIALS)) {
        stmt.setString(1, type);
        stmt.setString(2, accessKeyId);
        stmt.setString(3, sealed);
        stmt.setString(4, tenant);
        stmt.setString(5, warehouse);
        return SqlArrays.callInt(stmt);
      }
    });
  }

  /**
   * Merges {@code set} (sealed where secret) into the settings, removes {@code unset}, and adds and removes
   * allowed locations (normalized); nothing else changes.
   */
  public void updateStorage(String tenant, String warehouse, Map<String, String> set, List<String> unset,
      List<String> addAllowed, List<String> removeAllowed) {
    int updated = db.run("update warehouse '" + warehouse + "'", SqlErrors.storageRefused(), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(UPDATE_WAREHOUSE_STORAGE)) {
        SqlArrays.setProperties(conn, stmt, 1, set);
        stmt.setArray(3, SqlArrays.text(conn, unset));
        stmt.setArray(4, SqlArrays.text(conn, addAllowed));
        stmt.setArray(5, SqlArrays.text(conn, removeAllowed));
        stmt.setString(6, tenant);
        stmt.setString(7, warehouse);
        return SqlArrays.callInt(stmt);
      }
    });
    if (updated == 0) {
      throw NoSuchObjectException.warehouse(tenant, warehouse);
    }
  }

  public void delete(String tenant, String name) {
    int deleted = db.run("delete warehouse '" + name + "'", SqlErrors.inUse("Warehouse '" + name + "' is used by catalogs;"
        + " delete them first"), conn -> SqlArrays.call(conn, DELETE_WAREHOUSE, tenant, name));
    if (deleted == 0) {
      throw NoSuchObjectException.warehouse(tenant, name);
    }
  }

  private static List<WarehouseRow> read(PreparedStatement stmt) throws SQLException {
    List<WarehouseRow> out = new ArrayList<>();
    try (ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        String[] keys = (String[]) rs.getArray("setting_keys").getArray();
        String[] values = (String[]) rs.getArray("setting_values").getArray();
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
          settings.put(keys[i], values[i]);
        }
        out.add(new WarehouseRow(
            rs.getLong("id"),
            rs.getString("tenant"),
            rs.getString("name"),
            rs.getString("storage_root"),
            Arrays.asList((String[]) rs.getArray("allowed_locations").getArray()),
            settings,
            rs.getString("credential_type"),
            rs.getString("access_key_id"),
            rs.getString("secret_access_key"),
            rs.getLong("config_version"),
            rs.getString("key_fingerprint")));
      }
    }
    return out;
  }
}
