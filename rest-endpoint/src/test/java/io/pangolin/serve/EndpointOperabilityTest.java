package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pangolin.serve.fakes.InMemoryBackends;
import io.pangolin.serve.http.ServeSettings;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What an operator relies on: deep namespaces, refusals that leak nothing, limits, health, metrics, logs. */
class EndpointOperabilityTest {

  private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + InMemoryBackends.TOKEN);

  @TempDir
  Path warehouse;

  private EndpointFixture endpoint;
  private InMemoryBackends backends;
  private Http http;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  private Level pangolinLevel;

  @BeforeEach
  void start() throws Exception {
    logs.start();
    root().addAppender(logs);
    // The test configuration may log less than INFO; the access log is what is under test here.
    pangolinLevel = pangolin().getLevel();
    pangolin().setLevel(Level.DEBUG);
    backends = new InMemoryBackends(warehouse.toString());
    endpoint = EndpointFixture.start(backends, ServeSettings.defaults().withPorts(0, 0).withMaxRequestBodyBytes(4096));
    http = new Http(endpoint.uri());
  }

  @AfterEach
  void stop() throws Exception {
    root().detachAppender(logs);
    pangolin().setLevel(pangolinLevel);
    endpoint.close();
  }

  @Test
  void namespacesOfOneToSixteenLevelsThroughEveryNamespaceRoute() throws Exception {
    RESTCatalog client = endpoint.client("deep", InMemoryBackends.clientProperties());
    List<String> levels = new ArrayList<>();
    for (int depth = 1; depth <= 16; depth++) {
      levels.add("level." + depth);
      Namespace namespace = Namespace.of(levels.toArray(String[]::new));
      // Iceberg's client asks the map for a null key, which Map.of refuses.
      client.createNamespace(namespace, new HashMap<>(Map.of("depth", Integer.toString(depth))));
      assertThat(client.namespaceExists(namespace)).as("HEAD at depth %s", depth).isTrue();
      assertThat(client.loadNamespaceMetadata(namespace)).containsEntry("depth", Integer.toString(depth));
      client.setProperties(namespace, new HashMap<>(Map.of("checked", "yes")));
      assertThat(client.loadNamespaceMetadata(namespace)).containsEntry("checked", "yes");
      if (depth > 1) {
        Namespace parent = Namespace.of(levels.subList(0, depth - 1).toArray(String[]::new));
        assertThat(client.listNamespaces(parent)).as("children at depth %s", depth).contains(namespace);
      }
      TableIdentifier table = TableIdentifier.of(namespace, "t" + depth);
      client.createTable(table, new Schema(Types.NestedField.required(1, "id", Types.LongType.get())));
      assertThat(client.listTables(namespace)).containsExactly(table);
      assertThat(client.loadTable(table).name()).endsWith("t" + depth);
    }
    for (int depth = 16; depth >= 1; depth--) {
      Namespace namespace = Namespace.of(levels.subList(0, depth).toArray(String[]::new));
      client.dropTable(TableIdentifier.of(namespace, "t" + depth));
      assertThat(client.dropNamespace(namespace)).isTrue();
      assertThat(client.namespaceExists(namespace)).isFalse();
    }
    assertThat(backends.openCatalogs).as("every request closed the catalog it opened").hasValue(0);
  }

  @Test
  void aMissingOrForgedBearerTokenIs401WithoutEchoingTheToken() throws Exception {
    HttpResponse<String> missing = http.get("/v1/main/namespaces", Map.of());
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    assertThat(missing.body()).contains("NotAuthorizedException").doesNotContain("Exception\\n\\tat");

    String forged = "forged-" + UUID.randomUUID();
    HttpResponse<String> refused = http.get("/v1/main/namespaces", Map.of("Authorization", "Bearer " + forged));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("NotAuthorizedException").doesNotContain(forged);
    assertThat(formattedLogs()).doesNotContain(forged);
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String name = "x".repeat(8192);
    HttpResponse<String> response =
        http.post("/v1/main/namespaces", AUTHORIZED, "{\"namespace\":[\"" + name + "\"]}");
    assertThat(response.statusCode()).isEqualTo(413);
    HttpResponse<String> small = http.post("/v1/main/namespaces", AUTHORIZED, "{\"namespace\":[\"small\"]}");
    assertThat(small.statusCode()).isEqualTo(200);
  }

  @Test
  @Timeout(60)
  void healthReadinessAndMetricsWithTheRouteCounter() throws Exception {
    Http admin = new Http(endpoint.adminUri());
    assertThat(admin.get("/healthz", Map.of()).statusCode()).isEqualTo(200);
    assertThat(admin.get("/readyz", Map.of()).statusCode()).isEqualTo(200);
    assertThat(http.get("/v1/config?warehouse=acme%2Fmain", AUTHORIZED).statusCode()).isEqualTo(200);
    assertThat(http.get("/v1/main/namespaces/nowhere", AUTHORIZED).statusCode()).isEqualTo(404);

    // A request is counted once its answer has gone out, which the client may see first: scrape until it is.
    String notFound =
        "pangolin_http_requests_total{route=\"GET /v1/{prefix}/namespaces/{namespace}\",status=\"404\"} 1";
    String metrics = admin.get("/metrics", Map.of()).body();
    while (!metrics.contains(notFound)) {
      metrics = admin.get("/metrics", Map.of()).body();
    }
    assertThat(metrics)
        .contains("pangolin_http_requests_total{route=\"GET /v1/config\",status=\"200\"} 1")
        .contains("pangolin_http_request_duration_seconds_bucket")
        .contains("pangolin_http_threads_busy")
        .contains("pangolin_http_queue_size")
        .contains("jvm_memory_used_bytes")
        .doesNotContain("nowhere");
  }

  @Test
  void theConfigRouteAnswersThePrefixTheEndpointsAndTheKeyLifetime() throws Exception {
    HttpResponse<String> config = http.get("/v1/config?warehouse=acme%2Fmain", AUTHORIZED);
    assertThat(config.body())
        .contains("\"prefix\":\"main\"")
        .contains("\"idempotency-key-lifetime\":\"PT30M\"")
        .contains("POST /v1/{prefix}/transactions/commit")
        .contains("POST /v1/{prefix}/namespaces/{namespace}/tables/{table}/sign")
        .doesNotContain("/plan");
    assertThat(http.get("/v1/config", AUTHORIZED).body()).contains("warehouse=<tenant>/<catalog>");
  }

  @Test
  void logsNameRouteTemplatesAndPrincipalsButNoTokenOrSecret() throws Exception {
    HttpResponse<String> token = http.post("/v1/oauth/tokens",
        Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "grant_type=client_credentials&client_id=client&client_secret=" + InMemoryBackends.CLIENT_SECRET);
    assertThat(token.statusCode()).isEqualTo(200);
    assertThat(token.body()).contains(InMemoryBackends.TOKEN);
    HttpResponse<String> wrong = http.post("/v1/oauth/tokens",
        Map.of("Content-Type", "application/x-www-form-urlencoded"),
        "grant_type=client_credentials&client_id=client&client_secret=wrong-" + InMemoryBackends.CLIENT_SECRET);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).contains("\"error\":\"invalid_client\"").doesNotContain(InMemoryBackends.CLIENT_SECRET);
    http.post("/v1/main/namespaces", AUTHORIZED, "{\"namespace\":[\"logged\"]}");
    http.post("/v1/main/sign?secret-query=" + InMemoryBackends.CLIENT_SECRET, AUTHORIZED,
        "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"http://s3/bucket/key\",\"headers\":{}}");

    // The access line is written when the answer has gone out, maybe after the client read it; a stop waits for it.
    endpoint.server().close();
    String logged = formattedLogs();
    assertThat(logged)
        .contains("route=\"POST /v1/oauth/tokens\" principal=- status=200")
        .contains("route=\"POST /v1/{prefix}/namespaces\" principal=alice status=200")
        .contains("route=\"POST /v1/{prefix}/sign\" principal=alice status=200")
        .doesNotContain(InMemoryBackends.TOKEN)
        .doesNotContain(InMemoryBackends.CLIENT_SECRET)
        .doesNotContain("logged");
  }

  @Test
  void anIdempotencyKeyReplaysRefusesAnotherBodyAndMustBeAUuid() throws Exception {
    String key = UUID.randomUUID().toString();
    Map<String, String> headers = Map.of("Authorization", "Bearer " + InMemoryBackends.TOKEN, "Idempotency-Key", key);
    HttpResponse<String> first = http.post("/v1/main/namespaces", headers, "{\"namespace\":[\"once\"]}");
    HttpResponse<String> again = http.post("/v1/main/namespaces", headers, "{\"namespace\":[\"once\"]}");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(again.statusCode()).as("a replay, not a 409 AlreadyExists").isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(http.post("/v1/main/namespaces", headers, "{\"namespace\":[\"other\"]}").statusCode()).isEqualTo(422);
    HttpResponse<String> notUuid = http.post("/v1/main/namespaces",
        Map.of("Authorization", "Bearer " + InMemoryBackends.TOKEN, "Idempotency-Key", "123"),
        "{\"namespace\":[\"x\"]}");
    assertThat(notUuid.statusCode()).isEqualTo(400);
    assertThat(notUuid.body()).contains("Idempotency-Key must be a UUID");
  }

  private String formattedLogs() {
    List<String> lines = new ArrayList<>();
    synchronized (logs) {
      logs.list.forEach(event -> lines.add(event.getFormattedMessage() + " " + (event.getThrowableProxy() == null
          ? "" : event.getThrowableProxy().getMessage())));
    }
    return String.join("\n", Collections.unmodifiableList(lines));
  }

  private static Logger pangolin() {
    return (Logger) LoggerFactory.getLogger("io.pangolin");
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
