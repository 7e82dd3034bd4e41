package io.pangolin.testing;

import io.pangolin.warehouse.PangolinS3ClientFactory;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Iceberg's own JdbcCatalog configured as the README tells JDBC-catalog users to: the catalog database with
 * {@code currentSchema=pangolin_jdbc}, the Pangolin catalog's JDBC name, schema version V1, and its own S3 settings.
 */
public final class JdbcLayoutClients {

  private JdbcLayoutClients() {}

  /** The database URL with the compatibility layout as the connection's schema. */
  public static String layoutUrl(String url) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=pangolin_jdbc";
  }

  public static JdbcCatalog jdbcCatalog(String url, String jdbcName, TestS3 s3, String bucket) {
    return jdbcCatalog(url, jdbcName, s3, bucket, TestPostgres.get().user(), TestPostgres.get().password());
  }

  /** The same, connected as the given database login (a Pangolin principal). */
  public static JdbcCatalog jdbcCatalog(String url, String jdbcName, TestS3 s3, String bucket, String user,
      String password) {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.URI, layoutUrl(url));
    props.put("jdbc.user", user);
    props.put("jdbc.password", password);
    props.put("jdbc.schema-version", "V1");
    props.put(CatalogProperties.WAREHOUSE_LOCATION, "s3://" + bucket + "/warehouse/jdbc");
    props.put(CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.aws.s3.S3FileIO");
    props.put("s3.endpoint", s3.endpoint());
    props.put("s3.path-style-access", "true");
    props.put("s3.access-key-id", s3.accessKey());
    props.put("s3.secret-access-key", s3.secretKey());
    props.put("client.region", "us-east-1");
    // S3Proxy accepts checksums only where S3 requires them; this is the client factory Pangolin uses for that.
    props.put("s3.client-factory-impl", PangolinS3ClientFactory.class.getName());
    JdbcCatalog jdbc = new JdbcCatalog();
    jdbc.initialize(jdbcName, props);
    return jdbc;
  }
}
