package io.pangolin.bench.catalogs;

import io.pangolin.bench.Servers;
import io.pangolin.bench.count.CommitAttempts;
import io.pangolin.bench.count.CountingJdbcClientPool;
import io.pangolin.bench.count.Counts;
import io.pangolin.bench.count.S3RequestCounter;
import io.pangolin.bench.count.SqlCounter;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's own JdbcCatalog, the baseline: its own database on the same server, with the tables it creates
 * itself (schema V1), and S3FileIO with static keys on the same S3Proxy. Only its pool's connections are
 * counted; everything else is stock.
 */
public final class JdbcCatalogAdapter implements CatalogAdapter {

  private static final String BUCKET = "jdbc-warehouse";

  private final String url;
  private final Map<String, String> properties = new HashMap<>();
  private final SqlCounter counter = new SqlCounter();

  public JdbcCatalogAdapter(Servers servers) {
    this.url = servers.newDatabase();
    servers.s3().createBucket(BUCKET);
    properties.put(CatalogProperties.URI, url);
    properties.put("jdbc.user", TestPostgres.get().user());
    properties.put("jdbc.password", TestPostgres.get().password());
    properties.put("jdbc.schema-version", "V1");
    properties.put(CatalogProperties.WAREHOUSE_LOCATION, "s3://" + BUCKET + "/warehouse");
    properties.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    properties.put(CatalogProperties.METRICS_REPORTER_IMPL, CommitAttempts.class.getName());
    properties.putAll(servers.s3FileIoProperties());
  }

  @Override
  public String label() {
    return "JdbcCatalog";
  }

  @Override
  public String catalogName() {
    return "jdbc";
  }

  @Override
  public CatalogHandle open(Map<String, String> extraProperties) {
    Map<String, String> props = new HashMap<>(properties);
    props.putAll(extraProperties);
    JdbcCatalog catalog = new JdbcCatalog(null, p -> new CountingJdbcClientPool(url, p, counter), true);
    catalog.initialize(catalogName(), props);
    return new CatalogHandle(catalog);
  }

  @Override
  public Counts counts() {
    return counter.snapshot().plus(S3RequestCounter.snapshot());
  }

  @Override
  public void bulkInsertTables(Namespace ns, String prefix, int count, String metadataLocation) {
    String sql = """
        INSERT INTO iceberg_tables
          (catalog_name, table_namespace, table_name, metadata_location, previous_metadata_location, iceberg_type)
        SELECT ?, ?, ? || g, ?, NULL, 'TABLE' FROM generate_series(1, ?) g
        """;
    try (Connection conn = Servers.admin(url); PreparedStatement stmt = conn.prepareStatement(sql)) {
      stmt.setString(1, catalogName());
      // JdbcCatalog stores a namespace as its levels joined with '.'.
      stmt.setString(2, String.join(".", ns.levels()));
      stmt.setString(3, prefix);
      stmt.setString(4, metadataLocation);
      stmt.setInt(5, count);
      stmt.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot bulk-insert JdbcCatalog tables", e);
    }
  }

  @Override
  public long tableCount() {
    return AdminSql.count(url, "SELECT count(*) FROM iceberg_tables WHERE catalog_name = ?"
        + " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)", catalogName());
  }

  @Override
  public void refreshStatistics() {
    AdminSql.analyze(url, "iceberg_tables", "iceberg_namespace_properties");
  }

  @Override
  public String pointerTable() {
    return "iceberg_tables";
  }

  @Override
  public void close() {
    // The database lives until the embedded server stops with the JVM.
  }
}
