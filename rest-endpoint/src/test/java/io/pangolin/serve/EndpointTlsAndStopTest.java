package io.pangolin.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.fakes.InMemoryBackends;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.serve.http.TlsSettings;
import io.pangolin.serve.idempotency.IdempotencyKeys;
import io.pangolin.serve.sign.SignService;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** https with an operator's PKCS12 keystore, forwarded schemes from trusted proxies, and a stop that drains. */
class EndpointTlsAndStopTest {

  private static final Map<String, String> AUTHORIZED = Map.of("Authorization", "Bearer " + InMemoryBackends.TOKEN);
  private static final Map<String, String> FORM = Map.of("Content-Type", "application/x-www-form-urlencoded");
  private static final String CLIENT_CREDENTIALS = "grant_type=client_credentials&client_id="
      + InMemoryBackends.CLIENT_ID + "&client_secret=" + InMemoryBackends.CLIENT_SECRET;
  private static final String SIGN_REQUEST =
      "{\"region\":\"us-east-1\",\"method\":\"GET\",\"uri\":\"http://s3/bucket/key\",\"headers\":{}}";

  @TempDir
  Path directory;

  @Test
  void servesHttpsWithAGeneratedPkcs12Keystore() throws Exception {
    Path keystore = directory.resolve("endpoint.p12");
    Path certificate = directory.resolve("endpoint.pem");
    keytool("-genkeypair", "-alias", "endpoint", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "store-pass-71",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost");
    keytool("-exportcert", "-rfc", "-alias", "endpoint", "-keystore", keystore.toString(),
        "-storepass", "store-pass-71", "-file", certificate.toString());
    ServeSettings settings = ServeSettings.defaults().withPorts(0, 0)
        .withTls(new TlsSettings(keystore, "store-pass-71"));
    assertThat(settings.toString()).doesNotContain("store-pass-71");

    try (EndpointFixture endpoint = EndpointFixture.start(new InMemoryBackends(directory.toString()), settings)) {
      assertThat(endpoint.uri().getScheme()).isEqualTo("https");
      Http https = new Http(HttpClient.newBuilder().sslContext(trusting(certificate)).build(), endpoint.uri());
      HttpResponse<String> token = https.post("/v1/oauth/tokens", FORM, CLIENT_CREDENTIALS);
      assertThat(token.statusCode()).isEqualTo(200);
      HttpResponse<String> config = https.get("/v1/config?warehouse=acme%2Fmain", AUTHORIZED);
      assertThat(config.statusCode()).isEqualTo(200);
      assertThat(config.body()).contains("\"prefix\":\"main\"");
    }
  }

  @Test
  void believesTheForwardedSchemeOfTrustedProxiesOnly() throws Exception {
    ServeSettings proxied = ServeSettings.defaults().withPorts(0, 0).withTrustedProxies(Set.of("127.0.0.1"));
    try (EndpointFixture endpoint = EndpointFixture.start(new InMemoryBackends(directory.toString()), proxied)) {
      Http http = new Http(endpoint.uri());
      HttpResponse<String> plain = http.post("/v1/oauth/tokens", Map.of("Content-Type",
          "application/x-www-form-urlencoded", "X-Forwarded-Proto", "http"), CLIENT_CREDENTIALS);
      assertThat(plain.statusCode()).isEqualTo(400);
      assertThat(plain.body()).contains("invalid_request").contains("https");
      HttpResponse<String> secure = http.post("/v1/oauth/tokens", Map.of("Content-Type",
          "application/x-www-form-urlencoded", "X-Forwarded-Proto", "https"), CLIENT_CREDENTIALS);
      assertThat(secure.statusCode()).isEqualTo(200);
    }
  }

  @Test
  @Timeout(120)
  void aStopTurnsReadinessOffAndLetsTheRequestInFlightFinish() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    InMemoryBackends memory = new InMemoryBackends(directory.toString());
    try (EndpointFixture endpoint = EndpointFixture.start(new SlowSigning(memory, entered, release))) {
      HttpClient client = HttpClient.newHttpClient();
      CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
          HttpRequest.newBuilder(endpoint.uri().resolve("/v1/main/sign"))
              .header("Authorization", "Bearer " + InMemoryBackends.TOKEN)
              .POST(HttpRequest.BodyPublishers.ofString(SIGN_REQUEST)).build(),
          HttpResponse.BodyHandlers.ofString());
      entered.await();

      CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
        try {
          endpoint.server().close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Http admin = new Http(endpoint.adminUri());
      while (admin.get("/readyz", Map.of()).statusCode() != 503) {
        assertThat(stopping).isNotDone();
      }
      assertThat(inFlight).as("the slow request is still running while the stop waits").isNotDone();

      release.countDown();
      HttpResponse<String> answered = inFlight.get();
      assertThat(answered.statusCode()).isEqualTo(200);
      assertThat(answered.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(answered.body()).contains("http://s3/bucket/key");
      stopping.get();
    }
  }

  /** The in-memory backends, with a signer that holds its request until the test lets it go. */
  private record SlowSigning(InMemoryBackends memory, CountDownLatch entered, CountDownLatch release)
      implements Backends {
    @Override
    public Authenticator authenticator() {
      return memory.authenticator();
    }

    @Override
    public CatalogAccess catalogs() {
      return memory.catalogs();
    }

    @Override
    public SignService signer() {
      return (caller, prefix, table, request) -> {
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        return memory.signer().sign(caller, prefix, table, request);
      };
    }

    @Override
    public IdempotencyKeys idempotencyKeys() {
      return memory.idempotencyKeys();
    }

    @Override
    public void close() {
      memory.close();
    }
  }

  private static void keytool(String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("keytool %s: %s", arguments[0], output).isZero();
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("endpoint", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }
}
