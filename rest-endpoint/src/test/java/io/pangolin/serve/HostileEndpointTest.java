package io.pangolin.serve;

import static io.pangolin.serve.HostileEndpointScene.GX_NAMESPACE;
import static io.pangolin.serve.HostileEndpointScene.GX_PREFIX;
import static io.pangolin.serve.HostileEndpointScene.GX_TABLE;
import static io.pangolin.serve.HostileEndpointScene.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestPostgres;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hostile suite at the HTTP endpoint: acme's principals attack globex's names and ids in paths, malformed paths,
 * forged, expired, revoked and orphaned tokens and the token route. Each answer has its exact status and holds no
 * globex name the request did not type, no token, password or key and no stack trace; nor does any log line.
 */
class HostileEndpointTest extends HostileEndpointSuite {

  private String acmeToken;

  @BeforeAll
  void start() throws Exception {
    acmeToken = s.token(s.admin);
  }

  @Test
  void anotherTenantsCatalogAnswersAsOneThatDoesNotExist() throws Exception {
    List<String[]> pairs = List.of(
        new String[] {"/v1/" + GX_PREFIX + "/namespaces", "/v1/nosuch_vault/namespaces"},
        new String[] {"/v1/" + GX_PREFIX + "/namespaces/" + GX_NAMESPACE + "/tables/" + GX_TABLE,
            "/v1/nosuch_vault/namespaces/no_ns/tables/no_table"},
        new String[] {"/v1/" + GX_PREFIX + "/namespaces/" + GX_NAMESPACE, "/v1/nosuch_vault/namespaces/no_ns"});
    for (String[] pair : pairs) {
      HttpResponse<String> foreign = get(pair[0], acmeToken);
      HttpResponse<String> missing = get(pair[1], acmeToken);
      assertThat(foreign.statusCode()).as(pair[0]).isEqualTo(404);
      assertThat(missing.statusCode()).as(pair[1]).isEqualTo(404);
      assertThat(foreign.body().replace(GX_PREFIX, "nosuch_vault"))
          .as("the same answer for a foreign catalog as for none")
          .isEqualTo(missing.body());
    }
  }

  @Test
  void globexIdsInPlaceOfNamesFindNothing() throws Exception {
    long catalog = s.number("SELECT id FROM pangolin.catalogs WHERE jdbc_name = '" + GX_PREFIX + "'");
    long namespace = s.number("SELECT id FROM pangolin.namespaces WHERE levels = '{" + GX_NAMESPACE + "}'");
    long relation = s.number("SELECT id FROM pangolin.relations WHERE name = '" + GX_TABLE + "'");
    for (String path : List.of("/v1/" + catalog + "/namespaces", "/v1/" + ServeScene.PREFIX + "/namespaces/"
            + namespace, "/v1/" + ServeScene.PREFIX + "/namespaces/ns/tables/" + relation,
        "/v1/" + ServeScene.PREFIX + "/namespaces/" + namespace + "/tables/" + relation)) {
      assertThat(get(path, acmeToken).statusCode()).as(path).isEqualTo(404);
    }
  }

  @Test
  void malformedPathsAreRefusedInErrorJsonWithoutAStackTrace() throws Exception {
    String base = "/v1/" + ServeScene.PREFIX + "/namespaces/";
    // Jetty refuses ambiguous segments and separators before any route sees them.
    for (String path : List.of(base + "ns%2F..%2F..", base + "%2E%2E", base + "%2E%2E/tables/t1", base + "ns%00",
        base + "ns/tables/t1%00", "/v1/" + GX_PREFIX + "%00/namespaces", "/v1/%2E%2E/" + GX_PREFIX + "/namespaces")) {
      HttpResponse<String> refused = get(path, acmeToken);
      assertThat(refused.statusCode()).as(path).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).as(path).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
      assertThat(refused.body()).as(path).startsWith("{\"error\":{").contains("\"code\":400")
          .doesNotContain("/v1/");
    }
    // Plain dots are names: they name nothing.
    for (String path : List.of(base + "..", base + "ns%1F..%1F" + GX_NAMESPACE, base + "ns/tables/..")) {
      assertThat(get(path, acmeToken).statusCode()).as(path).isEqualTo(404);
    }
    assertThat(get(base + "../../" + GX_PREFIX + "/namespaces", acmeToken).statusCode()).isEqualTo(404);
  }

  @Test
  void headersOverTheLimitAre431InErrorJson() throws Exception {
    HttpResponse<String> refused = s.http.get("/v1/" + ServeScene.PREFIX + "/namespaces",
        Map.of("Authorization", "Bearer " + acmeToken, "X-Padding", "p".repeat(20_000)));
    assertThat(refused.statusCode()).isEqualTo(431);
    assertThat(refused.body()).startsWith("{\"error\":{").contains("\"code\":431").doesNotContain(acmeToken);
  }

  @Test
  void veryLongNamesAndSeventeenLevelsAreRefused() throws Exception {
    String base = "/v1/" + ServeScene.PREFIX + "/namespaces";
    String longName = "n".repeat(10_000);
    assertThat(get(base + "/" + longName, acmeToken).body()).contains("a level has at most 255 characters")
        .doesNotContain(longName);
    assertThat(get(base + "/ns/tables/" + longName, acmeToken).body()).contains("a name has at most 255 characters")
        .doesNotContain(longName);
    HttpResponse<String> created = s.http.post(base, bearer(acmeToken), "{\"namespace\":[\"" + longName + "\"]}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
    String seventeen = String.join("%1F", Collections.nCopies(17, "lvl"));
    assertThat(get(base + "/" + seventeen, acmeToken).body()).contains("it has 17 levels; a namespace has at most 16");
    HttpResponse<String> deep = s.http.post(base, bearer(acmeToken),
        "{\"namespace\":[" + String.join(",", Collections.nCopies(17, "\"lvl\"")) + "]}");
    assertThat(deep.statusCode()).as(deep.body()).isEqualTo(400);
  }

  @Test
  void configForAnotherTenantsWarehouseIs404() throws Exception {
    HttpResponse<String> foreign = get("/v1/config?warehouse=globex/vault", acmeToken);
    HttpResponse<String> missing = get("/v1/config?warehouse=nosuch/vault", acmeToken);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(foreign.body().replace("globex", "nosuch")).isEqualTo(missing.body());
    assertThat(get("/v1/config?warehouse=" + GX_PREFIX, acmeToken).statusCode()).isEqualTo(404);
  }

  @Test
  void missingForgedAndMangledTokensAre401WithoutEcho() throws Exception {
    String path = "/v1/" + ServeScene.PREFIX + "/namespaces";
    String token = s.token(s.admin);
    String oneChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    assertUnauthorized(path, Map.of());
    for (String authorization : List.of("", "Bearer", "Bearer ", "Bearer garbage-" + token.length(),
        "Bearer " + oneChanged, "Bearer " + token.substring(0, token.length() / 2), "Basic " + token,
        "Bearer " + "x".repeat(5000))) {
      assertUnauthorized(path, Map.of("Authorization", authorization));
    }
    assertThat(get(path, token).statusCode()).as("the unchanged token still works").isEqualTo(200);
  }

  @Test
  void anExpiredTokenIs401() throws Exception {
    String principal = s.scene.principal("expiring", "READ");
    String token = s.token(principal);
    String path = "/v1/" + ServeScene.PREFIX + "/namespaces";
    assertThat(get(path, token).statusCode()).isEqualTo(200);
    // The table keeps expires_at after issued_at: the token is moved back in time as a whole.
    s.scene.superuser("UPDATE pangolin_private.tokens SET issued_at = now() - interval '1 hour', authenticated_at ="
        + " now() - interval '1 hour', expires_at = now() - interval '1 second' WHERE principal = '" + principal + "'");
    assertUnauthorized(path, bearer(token));
  }

  @Test
  void aTokenOfAPrincipalThatWasDroppedIs401() throws Exception {
    String principal = s.scene.principal("dropped", "READ");
    String token = s.token(principal);
    s.scene.superuser("SELECT pangolin.forget_principal('" + principal + "'); DROP ROLE " + principal);
    assertUnauthorized("/v1/" + ServeScene.PREFIX + "/namespaces", bearer(token));
  }

  @Test
  void aRevokedTokenIs401() throws Exception {
    String principal = s.scene.principal("revoking", "READ");
    String token = s.token(principal);
    try (Connection own = DriverManager.getConnection(s.scene.url, principal, s.scene.password)) {
      own.createStatement().execute("SELECT pangolin.revoke_tokens()");
    }
    assertUnauthorized("/v1/" + ServeScene.PREFIX + "/namespaces", bearer(token));
  }

  @Test
  void aTokenWhosePrincipalLostItsGrantsSeesNothing() throws Exception {
    String principal = s.scene.principal("narrowed", "READ");
    String token = s.token(principal);
    String path = "/v1/" + ServeScene.PREFIX + "/namespaces";
    assertThat(get(path, token).body()).contains("\"ns\"").contains("\"other\"");
    s.scene.superuser("DELETE FROM pangolin.grants WHERE grantee = '" + principal + "'");
    HttpResponse<String> after = get(path, token);
    assertThat(after.statusCode()).as("the catalog is no longer its to see").isEqualTo(404);
    assertThat(after.body()).doesNotContain("\"ns\"").doesNotContain("\"other\"");
    assertThat(get(path + "/ns/tables/t1", token).statusCode()).isEqualTo(404);
  }

  @Test
  void readerSeesOnlyItsNamespace() throws Exception {
    String token = s.token(s.reader);
    String path = "/v1/" + ServeScene.PREFIX + "/namespaces";
    HttpResponse<String> listed = get(path, token);
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).contains("\"ns\"").doesNotContain("\"other\"");
    for (String[] pair : List.of(new String[] {"/other", "/nosuch"}, new String[] {"/other/tables/t2",
        "/nosuch/tables/t2"}, new String[] {"/other/tables", "/nosuch/tables"})) {
      HttpResponse<String> hidden = get(path + pair[0], token);
      HttpResponse<String> missing = get(path + pair[1], token);
      assertThat(hidden.statusCode()).as(pair[0]).isEqualTo(404);
      assertThat(hidden.body().replace("other", "nosuch")).as("%s as if it did not exist", pair[0])
          .isEqualTo(missing.body());
    }
    assertThat(get(path + "/ns/tables/t1", token).statusCode()).isEqualTo(200);
  }

  @Test
  void tokenExchangeWithAForgedOrRevokedSubjectIsRefusedWithoutEcho() throws Exception {
    String principal = s.scene.principal("exchanging", "READ");
    String token = s.token(principal);
    String forged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
    try (Connection own = DriverManager.getConnection(s.scene.url, principal, s.scene.password)) {
      own.createStatement().execute("SELECT pangolin.revoke_tokens()");
    }
    for (String subject : List.of(forged, token, "")) {
      HttpResponse<String> refused = s.http.post("/v1/oauth/tokens",
          Map.of("Content-Type", "application/x-www-form-urlencoded"),
          "grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token_type="
              + "urn:ietf:params:oauth:token-type:access_token&subject_token=" + subject);
      assertThat(refused.statusCode()).as(refused.body()).isIn(400, 401);
      assertThat(refused.body()).contains("\"error\":").doesNotContain("access_token\":");
      if (!subject.isEmpty()) {
        assertThat(refused.body()).doesNotContain(subject);
      }
      s.assertNoLeak("", refused);
    }
  }

  @Test
  void theTokenRouteDoesNotTellAWrongSecretFromAnUnknownClient() throws Exception {
    HttpResponse<String> wrongSecret = s.tokenRequest(s.reader, "wrong-" + s.scene.password);
    HttpResponse<String> unknown = s.tokenRequest("nobody_at_all", "wrong-" + s.scene.password);
    assertThat(wrongSecret.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrongSecret.body()).isEqualTo(unknown.body()).contains("\"error\":\"invalid_client\"");
    assertThat(withoutDate(wrongSecret.headers().map())).isEqualTo(withoutDate(unknown.headers().map()));
    s.assertNoLeak("", wrongSecret);
  }

  @Test
  void loginsThatMayHoldNoTokenAreRefusedAsAWrongSecretIs() throws Exception {
    String platformAdmin = s.login("platform", "pangolin_platform_admin");
    String wrongSecret = s.tokenRequest(s.reader, "wrong-" + s.scene.password).body();
    List<String[]> clients = List.of(new String[] {s.scene.endpointLogin, s.scene.password},
        new String[] {TestPostgres.get().user(), TestPostgres.get().password()},
        new String[] {platformAdmin, s.scene.password});
    for (String[] client : clients) {
      HttpResponse<String> response = s.tokenRequest(client[0], client[1]);
      assertThat(response.statusCode()).as(client[0]).isEqualTo(401);
      assertThat(response.body()).as("the right password of %s is not confirmed", client[0]).isEqualTo(wrongSecret);
      s.assertNoLeak(client[0], response);
    }
  }

  @Test
  void theEndpointsLoginAloneCanReadNothing() {
    assertThatThrownBy(() -> {
      try (Connection c = DriverManager.getConnection(s.scene.url, s.scene.endpointLogin, s.scene.password)) {
        c.createStatement().executeQuery("SELECT count(*) FROM pangolin.namespaces").next();
      }
    }).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
  }

  private static Map<String, List<String>> withoutDate(Map<String, List<String>> headers) {
    Map<String, List<String>> copy = new java.util.TreeMap<>(headers);
    copy.remove("date");
    return copy;
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpResponse<String> response = s.http.get(path, bearer(token));
    assertThat(response.statusCode()).as(path).isNotEqualTo(500);
    assertThat(response.body()).as(path).startsWith("{");
    s.assertNoLeak(path, response);
    return response;
  }

  private void assertUnauthorized(String path, Map<String, String> headers) throws Exception {
    HttpResponse<String> response = s.http.get(path, headers);
    String shown = headers.toString();
    assertThat(response.statusCode()).as(shown).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate")).as(shown).hasValue("Bearer");
    assertThat(response.body()).contains("NotAuthorizedException");
    s.assertNoLeak("", response);
  }
}
