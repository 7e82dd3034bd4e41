package io.pangolin.metastore;

import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;

/** A catalog resolved once at start: its tenant and its warehouse. */
public record CatalogBinding(
    long tenantId,
    String tenant,
    long catalogId,
    String catalog,
    String jdbcName,
    long warehouseId) {

  private static final String RESOLVE_CATALOG = """
      SELECT t.id AS tenant_id, c.id AS catalog_id, c.jdbc_name, c.warehouse_id, c.properties::text AS properties
      FROM pangolin.tenants t
      LEFT JOIN pangolin.catalogs c ON c.tenant_id = t.id AND c.name = ?
      WHERE t.name = ?
      """;

  public CatalogBinding {
    requireNonNull(tenant, "tenant");
    requireNonNull(catalog, "catalog");
    requireNonNull(jdbcName, "jdbcName");
  }

  /** The name used in messages: tenant/catalog. */
  public String qualifiedName() {
    return tenant + "/" + catalog;
  }

  /**
   * Resolves tenant and catalog by name, once per catalog instance; an unknown one fails naming the catalog
   * properties that name it.
   */
  public static CatalogBinding load(Database db, String tenant, String catalog) {
    return resolve(db, tenant, catalog, true);
  }

  /**
   * As {@link #load}, for an operator's command, which names the tenant and catalog by its options (and has
   * checked the tenant): an unknown catalog fails naming the command that lists them.
   */
  public static CatalogBinding find(Database db, String tenant, String catalog) {
    return resolve(db, tenant, catalog, false);
  }

  private static CatalogBinding resolve(Database db, String tenant, String catalog, boolean engine) {
    return db.run("open catalog '" + catalog + "' of tenant '" + tenant + "'", null, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(RESOLVE_CATALOG)) {
        stmt.setString(1, catalog);
        stmt.setString(2, tenant);
        try (ResultSet rs = stmt.executeQuery()) {
          if (!rs.next()) {
            throw engine ? new IllegalArgumentException(
                "Unknown Pangolin tenant '" + tenant + "', or permission denied: principal '"
                    + SqlErrors.principal(conn) + "' holds no privilege in it. Check the catalog property"
                    + " 'pangolin.tenant', ask the tenant's administrator for a grant, or create the tenant with"
                    + " 'pangolin tenant create " + tenant + "'")
                : NoSuchObjectException.tenant(tenant);
          }
          long catalogId = rs.getLong("catalog_id");
          if (rs.wasNull()) {
            throw engine ? new IllegalArgumentException(
                "Unknown Pangolin catalog '" + catalog + "' in tenant '" + tenant + "', or permission denied:"
                    + " principal '" + SqlErrors.principal(conn) + "' holds no privilege on it. Check the catalog"
                    + " property 'pangolin.catalog' (it defaults to the engine's catalog name), or create it with"
                    + " 'pangolin catalog create --tenant " + tenant + " " + catalog + " --warehouse <name>'")
                : new NoSuchObjectException("Unknown catalog '" + catalog + "' in tenant '" + tenant + "';"
                    + " 'pangolin catalog list --tenant " + tenant + "' shows its catalogs");
          }
          return new CatalogBinding(
              rs.getLong("tenant_id"), tenant, catalogId, catalog, rs.getString("jdbc_name"),
              rs.getLong("warehouse_id"));
        }
      }
    });
  }
}
