package io.pangolin.serve.vend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pangolin.serve.DatabaseSettings;
import io.pangolin.serve.PangolinServe;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.serve.testing.ServeScene;
import io.pangolin.testing.TestKeys;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * X-Iceberg-Access-Delegation: vended-credentials on a warehouse that names a role to assume: the load answer carries
 * STS credentials confined to the table (read-only for a reader) instead of remote signing. No STS runs here: the
 * endpoint calls a local stand-in that records the AssumeRole request and answers canned credentials.
 */
class VendedCredentialsEndpointTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static ServeScene scene;
  private static StsStandIn sts;
  private static PangolinServe serve;
  private static String reader;
  private static String writer;

  @BeforeAll
  static void start() throws Exception {
    scene = ServeScene.start();
    sts = StsStandIn.granting("ASIAVENDEDEXAMPLE", "vended-secret", "vended-session-token", "2026-12-08T03:00:00Z");
    scene.superuser("UPDATE pangolin.warehouses SET settings = settings || jsonb_build_object('assume-role-arn',"
        + " 'arn:aws:iam::123456789012:role/pangolin-vend', 'sts-endpoint', '" + sts.endpoint() + "')");
    serve = PangolinServe.start(new DatabaseSettings(scene.url, scene.endpointLogin, scene.password,
        Path.of(TestKeys.masterKeyFile()), Optional.empty()), ServeSettings.defaults().withPorts(0, 0));
    writer = scene.principal("vend_writer", "READ", "WRITE", "CREATE");
    reader = scene.principal("vend_reader", "READ");
    Map<String, String> props = new HashMap<>(scene.warehouseFileIo());
    props.put("uri", serve.apiUri().toString());
    props.put("credential", writer + ":" + scene.password);
    props.put("warehouse", ServeScene.TENANT + "/" + ServeScene.CATALOG);
    try (RESTCatalog catalog = new RESTCatalog()) {
      catalog.initialize("setup", props);
      catalog.createNamespace(Namespace.of("vend"));
      catalog.createTable(TableIdentifier.of("vend", "t"),
          new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    serve.close();
    sts.close();
    scene.close();
  }

  @Test
  void aReaderGetsReadOnlyCredentialsForTheTableAndNoSigning() throws Exception {
    JsonNode answer = load(reader, true);
    JsonNode credential = answer.path("storage-credentials").get(0);
    assertThat(credential.path("prefix").asText()).startsWith("s3://" + scene.bucket + "/warehouse/main/vend/t-");
    assertThat(credential.path("config").path("s3.access-key-id").asText()).isEqualTo("ASIAVENDEDEXAMPLE");
    assertThat(credential.path("config").path("s3.session-token").asText()).isEqualTo("vended-session-token");
    assertThat(answer.path("config").has("s3.remote-signing-enabled")).isFalse();

    StsStandIn.Recorded call = sts.requests().get(sts.requests().size() - 1);
    assertThat(call.form()).containsEntry("Action", "AssumeRole")
        .containsEntry("RoleArn", "arn:aws:iam::123456789012:role/pangolin-vend")
        .containsEntry("RoleSessionName", "pangolin-" + reader);
    assertThat(call.form().get("Policy")).contains("s3:GetObject").doesNotContain("s3:PutObject");
    assertThat(call.authorization()).contains("Credential=" + scene.s3.accessKey() + "/");
  }

  @Test
  void aWriterGetsCredentialsThatMayWrite() throws Exception {
    load(writer, true);
    StsStandIn.Recorded call = sts.requests().get(sts.requests().size() - 1);
    assertThat(call.form().get("Policy")).contains("s3:PutObject").contains("s3:DeleteObject");
  }

  @Test
  void withoutTheHeaderTheClientSignsThroughTheEndpoint() throws Exception {
    int before = sts.requests().size();
    JsonNode answer = load(reader, false);
    assertThat(answer.path("config").path("s3.remote-signing-enabled").asText()).isEqualTo("true");
    assertThat(answer.path("storage-credentials").isMissingNode() || answer.path("storage-credentials").isEmpty())
        .isTrue();
    assertThat(sts.requests()).hasSize(before);
  }

  private static JsonNode load(String principal, boolean vended) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(
            serve.apiUri().resolve("/v1/" + ServeScene.PREFIX + "/namespaces/vend/tables/t"))
        .header("Authorization", "Bearer " + token(principal));
    if (vended) {
      request.header("X-Iceberg-Access-Delegation", "vended-credentials");
    }
    HttpResponse<String> response = HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static String token(String principal) throws Exception {
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(principal, StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(scene.password, StandardCharsets.UTF_8);
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(serve.apiUri().resolve("/v1/oauth/tokens"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).path("access_token").asText();
  }
}
