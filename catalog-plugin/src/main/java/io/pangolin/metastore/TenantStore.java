package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.CREATE_TENANT;
import static io.pangolin.metastore.TenantSql.DELETE_TENANT;
import static io.pangolin.metastore.TenantSql.FILE_ROOT;
import static io.pangolin.metastore.TenantSql.LIST_TENANTS;
import static io.pangolin.metastore.TenantSql.SET_FILE_ROOT;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
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

  public void deleteTenant(String name) {
    int deleted = db.run("delete tenant '" + name + "'", SqlErrors.inUse("Tenant '" + name + "' still has warehouses or"
        + " catalogs; delete them first"), conn -> SqlArrays.call(conn, DELETE_TENANT, name));
    if (deleted == 0) {
      throw NoSuchObjectException.tenant(name);
    }
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
