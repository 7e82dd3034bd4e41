package io.pangolin.flink;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestS3;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * What all test classes of the JVM share: one catalog database holding tenant {@code acme} with the Pangolin
 * catalog {@code lake} on warehouse {@code lakehouse}, whose bucket lives on an S3 server that only accepts that
 * warehouse's own key. Test classes keep apart by using namespaces of their own.
 */
final class LakeEnv {

  static final String TENANT = "acme";
  static final String CATALOG = "lake";
  static final String WAREHOUSE = "lakehouse";
  static final String BUCKET = "lake-bucket";
  static final String ACCESS_KEY = "LAKEACCESSKEY0000001";
  static final String SECRET_KEY = "lake-secret-known-to-the-catalog-only";

  private static LakeEnv instance;

  private final String dbUrl;
  private final TestS3 s3;

  private LakeEnv(String dbUrl, TestS3 s3) {
    this.dbUrl = dbUrl;
    this.s3 = s3;
  }

  static synchronized LakeEnv get() {
    if (instance == null) {
      // Lenient about S3 headers it does not implement: Trino's listings send one, and refusing it would fail
      // every Trino CREATE TABLE (it lists the new location first). Signatures are still checked.
      TestS3 s3 = TestS3.start(ACCESS_KEY, SECRET_KEY, true);
      String url = TestCatalogs.migratedDatabase();
      TestCatalogs.s3Catalog(url, TENANT, WAREHOUSE, CATALOG, s3, BUCKET, List.of());
      instance = new LakeEnv(url, s3);
      Runtime.getRuntime().addShutdownHook(new Thread(s3::close));
    }
    return instance;
  }

  String dbUrl() {
    return dbUrl;
  }

  TestS3 s3() {
    return s3;
  }

  /** The name JDBC-catalog clients (Trino) use for the Pangolin catalog. */
  String jdbcCatalogName() {
    return TENANT + "_" + CATALOG;
  }

  String warehouseRoot() {
    return "s3://" + BUCKET + "/warehouse";
  }

  /** Values for the placeholders of the files under examples/. */
  Map<String, String> placeholders() {
    return Map.of(
        "PANGOLIN_DB_URI", dbUrl,
        "PANGOLIN_ENGINE_USER", TestPostgres.get().user(),
        "PANGOLIN_ENGINE_PASSWORD", TestPostgres.get().password(),
        "PANGOLIN_TENANT", TENANT,
        "PANGOLIN_MASTER_KEY_FILE", TestKeys.masterKeyFile());
  }

  /** Object keys in the warehouse bucket under a prefix, listed with a client independent of any catalog. */
  List<String> keys(String prefix) {
    return s3.keys(BUCKET, prefix);
  }

  /** A Pangolin catalog of this JVM's own, for looking at tables the engines wrote. */
  PangolinCatalog pangolin() {
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(CATALOG, TestCatalogs.properties(dbUrl, TENANT, CATALOG));
    return catalog;
  }

  /** Sessions the Pangolin catalog holds open on the server right now (its driver names them). */
  int pangolinSessions() {
    try (Connection conn = TestCatalogs.dataSource(dbUrl).getConnection();
        Statement stmt = conn.createStatement();
        ResultSet rs = stmt.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pangolin-catalog'"
                + " AND datname = current_database()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A new login role that is a Pangolin principal holding {@code privileges} on catalog lake, made with raw SQL as
   * the superuser. Roles are cluster-wide, so the name gets a random suffix.
   */
  String principal(String name, String password, List<String> privileges) {
    String role = name + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    superuser("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_principal");
    for (String privilege : privileges) {
      superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT c.id, '" + role + "', '"
          + privilege + "' FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id"
          + " WHERE t.name = '" + TENANT + "' AND c.name = '" + CATALOG + "'");
    }
    return role;
  }

  void dropRole(String role) {
    superuser("DROP ROLE " + role);
  }

  /** The audit trail of a table of catalog lake ("ns.table"), one "ACTION by principal" per change. */
  List<String> audit(String table) {
    try (Connection conn = TestCatalogs.dataSource(dbUrl).getConnection();
        java.sql.PreparedStatement stmt = conn.prepareStatement("SELECT action || ' by ' || principal"
            + " FROM pangolin.audit_log WHERE object_kind = 'relations' AND object_name = ? ORDER BY id")) {
      stmt.setString(1, table);
      List<String> rows = new java.util.ArrayList<>();
      try (ResultSet rs = stmt.executeQuery()) {
        while (rs.next()) {
          rows.add(rs.getString(1));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a statement as the database superuser. */
  void superuser(String sql) {
    try (Connection conn = TestCatalogs.dataSource(dbUrl).getConnection(); Statement stmt = conn.createStatement()) {
      stmt.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static TableIdentifier id(String namespace, String table) {
    return TableIdentifier.of(namespace, table);
  }
}
