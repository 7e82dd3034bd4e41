package io.pangolin.serve;

import static io.pangolin.serve.HostileEndpointScene.bearer;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.serve.sign.SignRequests;
import io.pangolin.serve.testing.ServeScene;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.rest.requests.RemoteSignRequestParser;
import org.apache.iceberg.rest.responses.RemoteSignResponse;
import org.apache.iceberg.rest.responses.RemoteSignResponseParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sign requests from acme_reader (READ on namespace ns, so on ns.t1 and not on other.t2) at both sign routes: every
 * S3 request outside what it may read is a 403 in words that name the principal, the privilege and the table or
 * location; its own table's metadata is signed, uncached, and S3Proxy accepts the signature.
 */
class HostileEndpointSignTest extends HostileEndpointSuite {

  private static final String TABLE_ROUTE = "/v1/" + ServeScene.PREFIX + "/namespaces/ns/tables/t1/sign";
  private static final String CATALOG_ROUTE = "/v1/" + ServeScene.PREFIX + "/sign";

  private String reader;
  private String t1Metadata;
  private String t2Metadata;
  private String gxMetadata;

  @BeforeAll
  void start() throws Exception {
    reader = s.token(s.reader);
    t1Metadata = metadata("t1");
    t2Metadata = metadata("t2");
    gxMetadata = metadata(HostileEndpointScene.GX_TABLE);
  }

  @Test
  void itsOwnTablesMetadataIsSignedUncachedAndAccepted() throws Exception {
    for (String route : List.of(TABLE_ROUTE, CATALOG_ROUTE)) {
      HttpResponse<String> answer = sign(route, "GET", url(t1Metadata), Map.of(), null);
      assertThat(answer.statusCode()).as(route + ": " + answer.body()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
      RemoteSignResponse signed = RemoteSignResponseParser.fromJson(answer.body());
      assertThat(signed.headers()).containsKey("Authorization");
      HttpRequest.Builder get = HttpRequest.newBuilder(signed.uri()).GET();
      signed.headers().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("host")) {
          values.forEach(value -> get.header(name, value));
        }
      });
      HttpResponse<String> object = HttpClient.newHttpClient().send(get.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(object.statusCode()).as("S3Proxy accepts the signature").isEqualTo(200);
      assertThat(object.body()).contains("\"format-version\"");
    }
  }

  @Test
  void aTableWithoutAGrantIsRefusedNamingThePrincipalThePrivilegeAndTheTable() throws Exception {
    HttpResponse<String> perTable = refused(TABLE_ROUTE, "GET", url(t2Metadata));
    assertThat(perTable.body()).contains("READ");
    HttpResponse<String> perCatalog = refused(CATALOG_ROUTE, "GET", url(t2Metadata));
    assertThat(perCatalog.body()).contains("READ").contains(t2Metadata);
    HttpResponse<String> named = refused("/v1/" + ServeScene.PREFIX + "/namespaces/other/tables/t2/sign", "GET",
        url(t2Metadata));
    assertThat(named.body()).contains("READ").contains("other.t2");
  }

  @Test
  void anotherTenantsBucketIsRefused() throws Exception {
    refused(TABLE_ROUTE, "GET", url(gxMetadata));
    refused(CATALOG_ROUTE, "GET", url(gxMetadata));
  }

  @Test
  void anotherTenantsCatalogIsRefusedAsOneThatDoesNotExist() throws Exception {
    String gx = HostileEndpointScene.GX_PREFIX;
    List<String[]> pairs = List.of(new String[] {"/v1/" + gx + "/sign", "/v1/nosuch_vault/sign"},
        new String[] {"/v1/" + gx + "/namespaces/" + HostileEndpointScene.GX_NAMESPACE + "/tables/"
            + HostileEndpointScene.GX_TABLE + "/sign", "/v1/nosuch_vault/namespaces/no_ns/tables/no_table/sign"});
    for (String[] pair : pairs) {
      HttpResponse<String> foreign = refused(pair[0], "GET", url(gxMetadata));
      HttpResponse<String> missing = refused(pair[1], "GET", url(gxMetadata));
      assertThat(foreign.body().replace(gx, "nosuch_vault")).isEqualTo(missing.body());
    }
  }

  @Test
  void traversalOutOfTheTableIsRefused() throws Exception {
    String t1Root = t1Metadata.substring(0, t1Metadata.indexOf("/metadata/"));
    String escape = url(t1Root) + "/../../other/" + t2Metadata.substring(t2Metadata.indexOf("/other/") + 7);
    refused(TABLE_ROUTE, "GET", escape);
    refused(CATALOG_ROUTE, "GET", escape);
    refused(TABLE_ROUTE, "GET", url(t1Root) + "/%2E%2E/%2E%2E/other/t2/metadata/x.json");
  }

  @Test
  void theWarehouseRootListingIsRefused() throws Exception {
    String bucket = s.scene.s3.endpoint() + "/" + s.scene.bucket;
    refused(TABLE_ROUTE, "GET", bucket + "?list-type=2&prefix=warehouse/");
    refused(CATALOG_ROUTE, "GET", bucket + "?list-type=2&prefix=");
  }

  @Test
  void anotherHostOrPortIsRefused() throws Exception {
    String path = t1Metadata.substring("s3://".length());
    refused(TABLE_ROUTE, "GET", "http://127.0.0.2:" + URI.create(s.scene.s3.endpoint()).getPort() + "/" + path);
    refused(TABLE_ROUTE, "GET", "http://127.0.0.1:1/" + path);
    refused(CATALOG_ROUTE, "GET", "https://s3.amazonaws.com/" + path);
  }

  @Test
  void aWriteWithReadOnlyIsRefusedNamingWrite() throws Exception {
    String data = url(t1Metadata.replaceFirst("/metadata/[^/]+$", "/data/evil.parquet"));
    assertThat(refused(TABLE_ROUTE, "PUT", data).body()).contains("WRITE");
    assertThat(refused(CATALOG_ROUTE, "PUT", data).body()).contains("WRITE");
  }

  @Test
  void aDeleteObjectsWithOneForeignKeyIsRefused() throws Exception {
    String bucketPrefix = "s3://" + s.scene.bucket + "/";
    String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + "<Object><Key>" + t1Metadata.substring(bucketPrefix.length()) + "</Key></Object>"
        + "<Object><Key>" + t2Metadata.substring(bucketPrefix.length()) + "</Key></Object>"
        + "<Quiet>true</Quiet></Delete>";
    String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(body.getBytes(UTF_8)));
    for (String route : List.of(TABLE_ROUTE, CATALOG_ROUTE)) {
      HttpResponse<String> answer = sign(route, "POST", s.scene.s3.endpoint() + "/" + s.scene.bucket + "?delete",
          Map.of("Content-MD5", List.of(md5)), body);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(403);
      assertThat(answer.body()).contains(s.reader).contains("WRITE");
    }
  }

  private HttpResponse<String> refused(String route, String method, String uri) throws Exception {
    HttpResponse<String> answer = sign(route, method, uri, Map.of(), null);
    assertThat(answer.statusCode()).as(method + " " + uri + " at " + route + ": " + answer.body()).isEqualTo(403);
    assertThat(answer.body()).as(method + " " + uri + " at " + route).contains("ForbiddenException")
        .contains(s.reader);
    assertThat(answer.body()).doesNotContain("Authorization").doesNotContain(s.scene.s3.accessKey());
    return answer;
  }

  private HttpResponse<String> sign(String route, String method, String uri,
      Map<String, List<String>> headers, String body) throws Exception {
    String request = RemoteSignRequestParser.toJson(SignRequests.request(method, uri, headers, body));
    HttpResponse<String> answer = s.http.post(route, bearer(reader), request);
    s.assertNoLeak(route + request, answer);
    return answer;
  }

  /** The path-style URI at S3Proxy of an s3:// location. */
  private String url(String location) {
    return s.scene.s3.endpoint() + "/" + location.substring("s3://".length());
  }

  private String metadata(String table) throws Exception {
    return s.string("SELECT metadata_location FROM pangolin.relations WHERE name = '" + table + "'");
  }
}
