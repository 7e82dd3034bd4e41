package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.CREATE_TENANT;
import static io.pangolin.metastore.TenantSql.DELETE_TENANT;
import static io.pangolin.metastore.TenantSql.FILE_ROOT;
import static io.pangolin.metastore.TenantSql.LIST_TENANTS;
import static io.pangolin.metastore.TenantSql.LOOK_UP_TENANT;
import static io.pangolin.metastore.TenantSql.RESEAL_TENANT_SECRETS;
import static io.pangolin.metastore.TenantSql.TENANT_KEY;
import static io.pangolin.metastore.TenantSql.TENANT_KEYS;
import static io.pangolin.metastore.TenantSql.SET_FILE_ROOT;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tenants rows. Uses no Iceberg class, so the admin command line runs on the plugin jar alone. */
public final class TenantStore {

  private final Database db;

  public TenantStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  public long createTenant(String name) {
    return db.run("create tenant '" + name + "'", SqlErrors.nameTaken("tenant", name), conn -> {
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

  /**
   * What a principal can tell of a tenant it named: whether it sees it, and whether it sees every tenant (so that
   * one it does not see certainly does not exist).
   */
  public record Lookup(String principal, boolean seen, boolean seesAll) {}

  public Lookup lookUp(String name) {
    return db.run("look up tenant '" + name + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(LOOK_UP_TENANT)) {
        stmt.setString(1, name);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return new Lookup(SqlErrors.principal(conn), rs.getBoolean(1), rs.getBoolean(2));
        }
      }
    });
  }

  public void deleteTenant(String name) {
    int deleted = db.run("delete tenant '" + name + "'", SqlErrors.inUse("Tenant '" + name + "' still has warehouses or"
        + " catalogs; delete them first"), conn -> SqlArrays.call(conn, DELETE_TENANT, name));
    if (deleted == 0) {
      throw NoSuchObjectException.tenant(name);
    }
  }

  /** The fingerprint of the tenant's own key; empty while it has none (or the principal does not see it). */
  public Optional<String> keyFingerprint(String tenant) {
    return db.run("read the key of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(TENANT_KEY)) {
        stmt.setString(1, tenant);
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  /** Each tenant the principal sees, with its own key's fingerprint (null: the shared master key). */
  public Map<String, String> keyFingerprints() {
    return db.run("list the keys of tenants", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(TENANT_KEYS); ResultSet rs = stmt.executeQuery()) {
        Map<String, String> out = new LinkedHashMap<>();
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
        return out;
      }
    });
  }

  /**
   * Replaces every sealed value of the tenant's warehouses, in one statement, and records {@code toKey} as the
   * tenant's key. {@code sealedJson} holds only sealed values (see R__46's reseal_tenant_secrets).
   */
  public int reseal(String tenant, String fromKey, String toKey, String sealedJson) {
    Integer changed = db.run("re-seal the secrets of tenant '" + tenant + "'",
        e -> SqlErrors.is(e, SqlErrors.SERIALIZATION_FAILURE) || SqlErrors.is(e, SqlErrors.INVALID_PARAMETER_VALUE)
            || SqlErrors.is(e, SqlErrors.CHECK_VIOLATION)
            ? new IllegalStateException("Cannot re-seal the secrets of tenant '" + tenant + "': "
                + SqlErrors.serverMessage(e)) : null,
        conn -> {
          try (PreparedStatement stmt = conn.prepareStatement(RESEAL_TENANT_SECRETS)) {
            stmt.setString(1, tenant);
            stmt.setString(2, fromKey);
            stmt.setString(3, toKey);
            stmt.setString(4, sealedJson);
            try (ResultSet rs = stmt.executeQuery()) {
              rs.next();
              int n = rs.getInt(1);
              return rs.wasNull() ? null : n;
            }
          }
        });
    if (changed == null) {
      throw NoSuchObjectException.tenant(tenant);
    }
    return changed;
  }

  /**
   * Sets (or, with null, clears) the prefix every new {@code file:} root or allowed location must lie under;
   * platform administrators and superusers only. Answers the prefix as the database stored it.
   */
  public Optional<String> setFileRoot(String prefix) {
    return Optional.ofNullable(db.run("set the platform's file root", SqlErrors.storageRefused(), conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(SET_FILE_ROOT)) {
        stmt.setString(1, prefix);
        try (ResultSet rs = stmt.executeQuery()) {
          rs.next();
          return rs.getString(1);
        }
      }
    }));
  }

  /** The prefix new {@code file:} warehouse locations must lie under; empty when none is allowed. */
  public Optional<String> fileRoot() {
    return Optional.ofNullable(db.run("read the platform's file root", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(FILE_ROOT); ResultSet rs = stmt.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }));
  }
}
