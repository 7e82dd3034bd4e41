package io.pangolin.serve.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.delegation.TokenStore;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.security.SecretCipher;
import io.pangolin.serve.auth.Caller;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestS3;
import io.pangolin.warehouse.CredentialType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.RemoteSignResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The signing service over real PostgreSQL and S3Proxy, whose key only the warehouse holds: a principal with READ on
 * sales.orders alone gets a GET of that table's metadata signed (and S3Proxy accepts the signature), and is refused
 * the other table of its namespace and any write, in the database's words.
 */
class DatabaseSignServiceTest {

  private static TestS3 s3;
  private static AclScene scene;
  private static DatabaseSignService service;
  private static PGSimpleDataSource endpoint;
  private static String principal;
  private static Caller caller;
  private static String prefix;

  @BeforeAll
  static void setUp() throws SQLException {
    s3 = TestS3.start("sign-" + UUID.randomUUID(), UUID.randomUUID().toString());
    scene = new AclScene(s3);
    principal = scene.login("signer", "pangolin_principal");
    scene.grant(scene.adminA, principal, "READ", "acme", "sales", "orders");
    endpoint = dataSource(scene.login("serve", "pangolin_endpoint"));
    caller = callerFor(principal);
    prefix = superuserString("SELECT jdbc_name FROM pangolin.catalogs WHERE id = " + scene.catalogId("acme"));
    service = new DatabaseSignService(endpoint,
        Keyring.master(Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY))));
  }

  @AfterAll
  static void tearDown() throws SQLException {
    scene.close();
    s3.close();
  }

  @Test
  void aGetOfItsTablesMetadataIsSignedAndTheStoreAcceptsIt() throws Exception {
    String metadata = metadataLocation("orders");
    RemoteSignResponse signed = service.sign(caller, prefix, Optional.of(TableIdentifier.of("sales", "orders")),
        request("GET", metadata));

    HttpRequest.Builder get = HttpRequest.newBuilder(signed.uri()).GET();
    // HttpClient sets Host itself, from the same URI the signature covers.
    signed.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(value -> get.header(name, value));
      }
    });
    HttpResponse<String> response = HttpClient.newHttpClient().send(get.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"format-version\"");

    // Unsigned, the same GET is refused: the signature is what S3Proxy accepted.
    HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(signed.uri()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
  }

  @Test
  void anotherTableOfTheNamespaceIsRefusedNamingThePrincipalThePrivilegeAndTheTable() throws SQLException {
    String returns = metadataLocation("returns");
    assertThatThrownBy(() -> service.sign(caller, prefix, Optional.of(TableIdentifier.of("sales", "returns")),
        request("GET", returns)))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("permission denied: principal " + principal + " lacks READ on table sales.returns of catalog "
            + prefix)
        .hasMessageNotContaining(s3.secretKey());
    // A plugin engine's FileIO names no table: the refusal names the location instead of a table it cannot see.
    assertThatThrownBy(() -> service.sign(caller, prefix, Optional.empty(), request("GET", returns)))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("permission denied: principal " + principal + " lacks READ on location " + returns
            + " of catalog " + prefix);
  }

  @Test
  void aWriteInItsOwnTableIsRefusedWithoutWrite() throws SQLException {
    String data = metadataLocation("orders").replaceFirst("/metadata/[^/]+$", "/data/00000-evil.parquet");
    assertThatThrownBy(() -> service.sign(caller, prefix, Optional.of(TableIdentifier.of("sales", "orders")),
        request("PUT", data)))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("permission denied: principal " + principal + " lacks WRITE on table sales.orders of catalog "
            + prefix);
    assertThat(s3.keys("acl-acme", "warehouse/")).noneMatch(key -> key.endsWith("00000-evil.parquet"));
  }

  @Test
  void aCatalogThePrincipalDoesNotSeeIsRefusedAsOneThatDoesNotExist() throws SQLException {
    String globex = superuserString("SELECT jdbc_name FROM pangolin.catalogs WHERE id = " + scene.catalogId("globex"));
    String orders = metadataLocation("orders");
    assertThatThrownBy(() -> service.sign(caller, globex, Optional.empty(), request("GET", orders)))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("permission denied: principal " + principal + " may not have requests signed in catalog "
            + globex + ": it does not exist, or the principal holds no privilege in it");
    assertThatThrownBy(() -> service.sign(caller, "nowhere_main", Optional.empty(), request("GET", orders)))
        .isInstanceOf(ForbiddenException.class)
        .hasMessage("permission denied: principal " + principal + " may not have requests signed in catalog "
            + "nowhere_main: it does not exist, or the principal holds no privilege in it");
  }

  @Test
  void aRevokedTokenIsNotAuthorized() throws SQLException {
    Caller reader = callerFor(scene.reader);
    new TokenStore(Database.of(dataSource(scene.reader))).revokeAll();
    assertThatThrownBy(() -> service.sign(reader, prefix, Optional.empty(), request("GET", metadataLocation("orders"))))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessageContaining("token is not valid")
        .hasMessageNotContaining(reader.token());
  }

  @Test
  void aWarehouseWithoutAStaticKeyCannotSign() throws SQLException {
    TenantRegistry tenants = TestCatalogs.tenants(scene.url);
    tenants.createWarehouse(new TenantRegistry.NewWarehouse("acme", "chain", "s3://acl-acme/chain", List.of(),
        TestCatalogs.s3Settings(s3), CredentialType.ENGINE_IDENTITY, null, null));
    tenants.createCatalog("acme", "chained", "chain", "acme_chained", Map.of());
    scene.superuser("INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{ns}' FROM pangolin.catalogs"
        + " WHERE jdbc_name = 'acme_chained'");
    Caller admin = callerFor(scene.adminA);
    assertThatThrownBy(() -> service.sign(admin, "acme_chained", Optional.empty(),
        request("PUT", "s3://acl-acme/chain/chained/ns/t1/metadata/00000.json")))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("warehouse 'acme/chain' uses engine-identity credentials")
        .hasMessageContaining("S3 remote signing needs the warehouse's static key");
  }

  /** A sign request as Iceberg's S3V4RestSignerClient sends it, for the path-style URI of an s3:// location. */
  private static RemoteSignRequest request(String method, String location) {
    return SignRequests.request(method, s3.endpoint() + "/" + location.substring("s3://".length()));
  }

  private static Caller callerFor(String login) {
    return new Caller(login, new TokenStore(Database.of(dataSource(login))).issue(Duration.ofMinutes(10)).value());
  }

  private static String metadataLocation(String table) throws SQLException {
    return superuserString("SELECT metadata_location FROM pangolin.relations WHERE id = "
        + scene.relationId("acme", "sales", table));
  }

  private static String superuserString(String sql) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static PGSimpleDataSource dataSource(String login) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(scene.url);
    ds.setUser(login);
    ds.setPassword(scene.password());
    return ds;
  }
}
