package io.pangolin.bench.rest;

import static java.util.Objects.requireNonNull;

import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.catalogs.PangolinAdapter;
import io.pangolin.bench.count.SqlCounter;
import io.pangolin.serve.DatabaseSettings;
import io.pangolin.serve.PangolinServe;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * pangolin serve over the Pangolin adapter's database, set up as an operator would: the endpoint's own login in
 * pangolin_endpoint, and one principal holding READ and WRITE on the catalog, both with passwords the server checks
 * (SCRAM). The plugin's column logs in as the same principal, so both columns answer to the same row-level security.
 */
final class ServedPangolin implements AutoCloseable {

  /** Logins in this group get their passwords checked; the embedded server trusts other loopback logins. */
  private static final String PASSWORD_CHECKED = "bench_password_checked";

  private final PangolinAdapter pangolin;
  private final String principal;
  private final String password;
  private final PangolinServe serve;

  private ServedPangolin(PangolinAdapter pangolin, String principal, String password, PangolinServe serve) {
    this.pangolin = requireNonNull(pangolin, "pangolin");
    this.principal = requireNonNull(principal, "principal");
    this.password = requireNonNull(password, "password");
    this.serve = requireNonNull(serve, "serve");
  }

  /** Creates the two logins and the principal's grants, then starts the endpoint on free loopback ports. */
  static ServedPangolin start(PangolinAdapter pangolin) throws Exception {
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    String password = "pw-" + UUID.randomUUID();
    String endpointLogin = "bench_serve_" + suffix;
    String principal = "bench_rest_" + suffix;
    TestPostgres.get().checkPasswordsOf(PASSWORD_CHECKED);
    pangolin.adminSql("CREATE ROLE " + endpointLogin + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_endpoint, "
        + PASSWORD_CHECKED);
    pangolin.adminSql("CREATE ROLE " + principal + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_principal, "
        + PASSWORD_CHECKED);
    pangolin.adminSql("""
        INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)
        SELECT c.id, NULL, ?, p FROM pangolin.catalogs c CROSS JOIN unnest(ARRAY['READ', 'WRITE']) p
        """, principal);
    DatabaseSettings database = new DatabaseSettings(pangolin.databaseUrl(), endpointLogin, password,
        Path.of(TestKeys.masterKeyFile()), Optional.empty());
    PangolinServe serve = PangolinServe.start(database, ServeSettings.defaults().withPorts(0, 0));
    return new ServedPangolin(pangolin, principal, password, serve);
  }

  URI apiUri() {
    return serve.apiUri();
  }

  /** The REST prefix of the benchmark's catalog: its JDBC-layout name. */
  String prefix() {
    return PangolinAdapter.TENANT + "_" + PangolinAdapter.CATALOG;
  }

  /** The principal's client credential, {@code principal:password}. */
  String credential() {
    return principal + ":" + password;
  }

  /** Iceberg's REST client logged in as the principal, as an engine configures it. */
  RESTCatalog client() {
    Map<String, String> props = new HashMap<>();
    props.put("uri", apiUri().toString());
    props.put("credential", credential());
    props.put("warehouse", PangolinAdapter.TENANT + "/" + PangolinAdapter.CATALOG);
    RESTCatalog client = new RESTCatalog();
    client.initialize("pangolin-serve", props);
    return client;
  }

  /** The plugin in this JVM, logged in to PostgreSQL as the same principal. */
  CatalogHandle plugin() {
    return pangolin.open(Map.of("jdbc.user", principal, "jdbc.password", password),
        pangolin.connectionsAs(principal, password, new SqlCounter()));
  }

  @Override
  public void close() throws Exception {
    serve.close();
  }
}
