package io.pangolin.bench.catalogs;

import io.pangolin.bench.Servers;
import io.pangolin.bench.count.CommitAttempts;
import io.pangolin.bench.count.CountingDataSource;
import io.pangolin.bench.count.Counts;
import io.pangolin.bench.count.S3RequestCounter;
import io.pangolin.bench.count.SqlCounter;
import io.pangolin.catalog.PangolinCatalogs;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;

/**
 * Pangolin as an engine runs it: a migrated catalog database with one tenant, one S3 warehouse (static keys
 * on the shared S3Proxy) and one catalog, opened with the properties an engine passes. Only the physical
 * connections under its pool are swapped for counted ones.
 */
public final class PangolinAdapter implements CatalogAdapter {

  /** The tenant and catalog every Pangolin instance opens; pangolin serve names the catalog {@code bench/main}. */
  public static final String TENANT = "bench";
  public static final String CATALOG = "main";
  private static final String WAREHOUSE = "lake";
  private static final String BUCKET = "pangolin-warehouse";

  private final String url;
  private final SqlCounter counter = new SqlCounter();
  // One source of physical connections for every instance, so that they share one pool as an engine's catalogs
  // of one JVM do (the pool registry keys a given source by its identity).
  private final DataSource connections;

  public PangolinAdapter(Servers servers) {
    this.url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, TENANT, WAREHOUSE, CATALOG, servers.s3(), BUCKET, List.of());
    this.connections = new CountingDataSource(superuserDataSource(url), counter);
  }

  @Override
  public String label() {
    return "Pangolin";
  }

  @Override
  public String catalogName() {
    return "pangolin";
  }

  public String databaseUrl() {
    return url;
  }

  /** A new instance on the pool every instance of this adapter shares, opening it if none is open. */
  @Override
  public CatalogHandle open(Map<String, String> extraProperties) {
    return open(extraProperties, connections);
  }

  /** A new instance on a pool of its own, which it opens: what the first catalog opened in a JVM costs. */
  public CatalogHandle openOnNewPool(Map<String, String> extraProperties) {
    return open(extraProperties, new CountingDataSource(superuserDataSource(url), counter));
  }

  /**
   * Physical connections logged in as {@code user}, counted by {@code userCounter}. Instances opened on the same
   * returned source share one pool, as an engine's catalogs with one login do.
   */
  public DataSource connectionsAs(String user, String password, SqlCounter userCounter) {
    return new CountingDataSource(driverDataSource(url, user, password), userCounter);
  }

  /** A new instance on the pool of {@code physicalConnections} (such as {@link #connectionsAs}). */
  public CatalogHandle open(Map<String, String> extraProperties, DataSource physicalConnections) {
    Map<String, String> props = new HashMap<>(TestCatalogs.properties(url, TENANT, CATALOG));
    props.put(CatalogProperties.METRICS_REPORTER_IMPL, CommitAttempts.class.getName());
    props.putAll(extraProperties);
    return new CatalogHandle(PangolinCatalogs.open(catalogName(), props, physicalConnections));
  }

  /**
   * The packaged plugin relocates its PostgreSQL driver and unwraps pooled connections to the relocated
   * driver's class, so its pool must get connections from that same relocated driver. It is called directly:
   * going through DriverManager (as PGSimpleDataSource does) may hand out the plain driver's connections, which
   * is also on the classpath. Against the plugin's unpackaged classes (an IDE), the plain driver is the right one.
   */
  private static DataSource superuserDataSource(String url) {
    return driverDataSource(url, TestPostgres.get().user(), TestPostgres.get().password());
  }

  private static DataSource driverDataSource(String url, String user, String password) {
    Driver driver;
    try {
      Class<?> type;
      try {
        type = Class.forName("io.pangolin.shaded.org.postgresql.Driver");
      } catch (ClassNotFoundException e) {
        type = Class.forName("org.postgresql.Driver");
      }
      driver = (Driver) type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Cannot load the PostgreSQL driver", e);
    }
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    return new DriverDataSource(driver, url, props);
  }

  @Override
  public Counts counts() {
    return counter.snapshot().plus(S3RequestCounter.snapshot());
  }

  @Override
  public void bulkInsertTables(Namespace ns, String prefix, int count, String metadataLocation) {
    String sql = """
        INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
        SELECT n.id, ? || g, 'TABLE', ?
        FROM pangolin.namespaces n
        JOIN pangolin.catalogs c ON c.id = n.catalog_id
        CROSS JOIN generate_series(1, ?) g
        WHERE c.name = ? AND n.levels = ?
        """;
    try (Connection conn = Servers.admin(url); PreparedStatement stmt = conn.prepareStatement(sql)) {
      stmt.setString(1, prefix);
      stmt.setString(2, metadataLocation);
      stmt.setInt(3, count);
      stmt.setString(4, CATALOG);
      stmt.setArray(5, conn.createArrayOf("text", ns.levels()));
      int inserted = stmt.executeUpdate();
      if (inserted != count) {
        throw new IllegalStateException("Inserted " + inserted + " of " + count + " pointers into " + ns);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot bulk-insert Pangolin tables", e);
    }
  }

  @Override
  public long tableCount() {
    return AdminSql.count(url, "SELECT count(*) FROM pangolin.relations WHERE kind = 'TABLE'");
  }

  @Override
  public void refreshStatistics() {
    AdminSql.analyze(url, "pangolin.relations", "pangolin.namespaces");
  }

  /** Runs {@code sql} once as the superuser, uncounted, with {@code params} bound as strings. */
  public void adminSql(String sql, String... params) {
    try (Connection conn = Servers.admin(url); PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        stmt.setString(i + 1, params[i]);
      }
      stmt.execute();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot run " + sql, e);
    }
  }

  /** The single number {@code query} returns, with {@code params} bound as strings; as the superuser, uncounted. */
  public long adminCount(String query, String... params) {
    return AdminSql.count(url, query, params);
  }

  @Override
  public String pointerTable() {
    return "pangolin.relations";
  }

  @Override
  public void close() {
    // The database lives until the embedded server stops with the JVM.
  }
}
