package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.slf4j.LoggerFactory;

/**
 * What the hostile endpoint tests attack: pangolin serve over the database, with two tenants on one S3Proxy. acme:
 * catalog main (prefix acme_main), namespaces ns (table t1) and other (table t2), principals acme_admin (every
 * privilege on the catalog) and acme_reader (READ on ns only). globex: its own warehouse on another bucket, catalog
 * vault (prefix globex_vault), namespace gx_hidden_ns, table gx_secret_table: names that appear nowhere in acme, so a
 * globex name in any answer or log line that the request did not type is a leak. Every log event is captured.
 */
final class HostileEndpointScene implements AutoCloseable {

  static final String GX_PREFIX = "globex_vault";
  static final String GX_NAMESPACE = "gx_hidden_ns";
  static final String GX_TABLE = "gx_secret_table";
  static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
  private static final Pattern TOKEN_IN_JSON = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

  final ServeScene scene;
  final EndpointFixture endpoint;
  final Http http;
  final String gxBucket;
  final String admin;
  final String reader;
  private final List<String> secrets = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Level pangolinLevel;

  HostileEndpointScene() throws Exception {
    scene = ServeScene.start();
    gxBucket = "gx-vault-" + UUID.randomUUID().toString().substring(0, 8);
    TestCatalogs.s3Catalog(scene.url, "globex", "gx_wh", "vault", scene.s3, gxBucket, List.of());
    try (PangolinCatalog globex = TestCatalogs.open(scene.url, "globex", "vault", "main")) {
      globex.createNamespace(Namespace.of(GX_NAMESPACE));
      globex.createTable(TableIdentifier.of(GX_NAMESPACE, GX_TABLE), SCHEMA);
    }
    admin = scene.principal("acme_admin", "READ", "WRITE", "CREATE", "DROP");
    reader = scene.principal("acme_reader");
    secrets.addAll(List.of(scene.password, scene.s3.secretKey()));
    // The test server's superuser may have its own name as its password; a log that names the login is no leak.
    if (!TestPostgres.get().password().equals(TestPostgres.get().user())) {
      secrets.add(TestPostgres.get().password());
    }
    logs.start();
    root().addAppender(logs);
    pangolinLevel = pangolin().getLevel();
    pangolin().setLevel(Level.DEBUG);
    endpoint = EndpointFixture.start(BackendsFactory.of(scene.url, scene.endpointPool(), scene.keys()));
    http = new Http(endpoint.uri());
    RESTCatalog acme = client(admin);
    acme.createNamespace(Namespace.of("ns"));
    acme.createNamespace(Namespace.of("other"));
    acme.createTable(TableIdentifier.of("ns", "t1"), SCHEMA);
    acme.createTable(TableIdentifier.of("other", "t2"), SCHEMA);
    grant(reader, "READ", "ns");
  }

  /** Iceberg's REST client for {@code principal} on acme's catalog, reaching files with the warehouse's key. */
  RESTCatalog client(String principal) {
    Map<String, String> props = new HashMap<>(scene.warehouseFileIo());
    props.put("credential", principal + ":" + scene.password);
    props.put("warehouse", ServeScene.TENANT + "/" + ServeScene.CATALOG);
    return endpoint.client(principal + "-" + UUID.randomUUID(), props);
  }

  void grant(String principal, String privilege, String namespace) {
    scene.superuser("INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)"
        + " SELECT c.id, n.id, '" + principal + "', '" + privilege + "' FROM pangolin.catalogs c"
        + " JOIN pangolin.namespaces n ON n.catalog_id = c.id WHERE c.jdbc_name = '" + ServeScene.PREFIX + "'"
        + " AND n.levels = '{" + namespace + "}'");
  }

  /** A token from the token route, remembered as a secret that no answer or log line may hold. */
  String token(String principal) throws Exception {
    HttpResponse<String> response = tokenRequest(principal, scene.password);
    assertThat(response.statusCode()).as("token for %s: %s", principal, response.body()).isEqualTo(200);
    Matcher token = TOKEN_IN_JSON.matcher(response.body());
    assertThat(token.find()).isTrue();
    secrets.add(token.group(1));
    return token.group(1);
  }

  HttpResponse<String> tokenRequest(String clientId, String secret) throws Exception {
    return http.post("/v1/oauth/tokens", Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret);
  }

  static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  /** A login principal of another kind than pangolin_principal, with this scene's password checked. */
  String login(String name, String role) {
    String login = name + "_" + UUID.randomUUID().toString().substring(0, 8);
    scene.superuser("CREATE ROLE " + login + " LOGIN PASSWORD '" + scene.password + "' IN ROLE " + role + ", "
        + ServeScene.PASSWORD_CHECKED);
    return login;
  }

  long number(String sql) throws SQLException {
    return Long.parseLong(string(sql));
  }

  String string(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(scene.url, TestPostgres.get().user(),
        TestPostgres.get().password()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).as(sql).isTrue();
      return rs.getString(1);
    }
  }

  /** The globex names and the secrets that an answer to {@code request} must not hold unless the request typed them. */
  void assertNoLeak(String request, HttpResponse<String> answer) {
    String shown = answer.body() + "\n" + answer.headers().map();
    for (String marker : markers()) {
      if (!request.contains(marker)) {
        assertThat(shown).as("answer to %s", request.length() > 200 ? request.substring(0, 200) : request)
            .doesNotContain(marker);
      }
    }
    assertThat(shown).doesNotContainPattern("\\bat (org|io|java)\\.[\\w.$]+\\(");
  }

  /** No log line names globex or holds a secret: the access log names route templates, never raw paths. */
  void assertLogsClean() {
    String logged = logged();
    assertThat(logged).as("the access log is captured").contains("route=");
    for (String marker : markers()) {
      assertThat(logged).as("the log").doesNotContain(marker);
    }
  }

  private List<String> markers() {
    List<String> markers = new ArrayList<>(secrets);
    markers.addAll(List.of("globex", GX_PREFIX, GX_NAMESPACE, GX_TABLE, gxBucket));
    return markers;
  }

  String logged() {
    List<String> lines = new ArrayList<>();
    synchronized (logs) {
      logs.list.forEach(event -> lines.add(event.getFormattedMessage() + " " + (event.getThrowableProxy() == null
          ? "" : event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage())));
    }
    return String.join("\n", lines);
  }

  @Override
  public void close() throws Exception {
    try {
      endpoint.close();
    } finally {
      root().detachAppender(logs);
      pangolin().setLevel(pangolinLevel);
      scene.close();
    }
  }

  private static Logger pangolin() {
    return (Logger) LoggerFactory.getLogger("io.pangolin");
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
