package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.CREATE_TENANT;
import static io.pangolin.metastore.TenantSql.DELETE_TENANT;
import static io.pangolin.metastore.TenantSql.LIST_TENANTS;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

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
}
