package io.pangolin.metastore;

import static io.pangolin.metastore.TenantSql.CREATE_CATALOG;
import static io.pangolin.metastore.TenantSql.DELETE_CATALOG;
import static io.pangolin.metastore.TenantSql.LIST_ALL_NAMESPACES;
import static io.pangolin.metastore.TenantSql.LIST_ALL_RELATIONS;
import static io.pangolin.metastore.TenantSql.LIST_CATALOGS;
import static java.util.Objects.requireNonNull;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalogs rows of the tenants, and what an operator lists of a catalog: all its namespaces and relations.
 * Uses no Iceberg class, so the admin command line runs on the plugin jar alone.
 */
public final class CatalogStore {

  /** A catalog as listed. */
  public record CatalogSummary(String name, String warehouse, String jdbcName) {}

  /** A table or view as listed: its namespace levels, name, kind and current metadata file. */
  public record RelationSummary(List<String> namespace, String name, String kind, String metadataLocation) {}

  /** The unique constraint on catalogs.jdbc_name (V1). */
  private static final String JDBC_NAME_UNIQUE = "catalogs_jdbc_name_key";

  private final Database db;

  public CatalogStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  public void createCatalog(String tenant, String name, String warehouse, String jdbcName, Map<String, String> props) {
    String jdbc = jdbcName != null ? jdbcName : tenant + "_" + name;
    int rows = db.run("create catalog '" + name + "'", e -> {
      if (SqlErrors.is(e, SqlErrors.NOT_NULL_VIOLATION)) {
        return new NoSuchObjectException("Cannot create catalog '" + name + "': tenant '" + tenant
            + "' has no warehouse '" + warehouse + "'; create it first with 'pangolin warehouse create'");
      }
      if (SqlErrors.is(e, SqlErrors.UNIQUE_VIOLATION)) {
        // create_catalog (R__40) checks the catalog's own name first, so a taken JDBC-catalog name is another's.
        return SqlErrors.constraint(e).equals(JDBC_NAME_UNIQUE)
            ? new ObjectExistsException("Cannot create catalog '" + name + "': its JDBC-catalog name '" + jdbc
                + "' is taken by another catalog; choose another with --jdbc-name")
            : new ObjectExistsException("Catalog '" + name + "' already exists in tenant '" + tenant + "'");
      }
      return SqlErrors.nameTaken("catalog", name).apply(e);
    }, conn -> {
      try (PreparedStatement stmt = conn.prepareStatement(CREATE_CATALOG)) {
        stmt.setString(1, name);
        stmt.setString(2, warehouse);
        stmt.setString(3, jdbc);
        SqlArrays.setProperties(conn, stmt, 4, props);
        stmt.setString(6, tenant);
        try (ResultSet rs = stmt.executeQuery()) {
          return rs.next() && rs.getObject(1) != null ? 1 : 0;
        }
      }
    });
    if (rows == 0) {
      throw NoSuchObjectException.tenant(tenant);
    }
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
    int deleted = db.run("delete catalog '" + name + "'", e -> SqlErrors.inUse(e.getMessage().contains("dropped_relations")
        ? "Catalog '" + name + "' still holds dropped tables or views; collect them first with 'pangolin gc --tenant "
            + tenant + " --catalog " + name + "' after their retention (see 'pangolin table list --dropped')"
        : "Catalog '" + name + "' still has namespaces; drop its tables, views and namespaces first").apply(e),
        conn -> SqlArrays.call(conn, DELETE_CATALOG, tenant, name));
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
}
