package io.pangolin.bench.rest;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.ErrorHandlers;
import org.apache.iceberg.rest.HTTPClient;
import org.apache.iceberg.rest.ResourcePaths;
import org.apache.iceberg.rest.auth.AuthSession;
import org.apache.iceberg.rest.auth.OAuth2Properties;
import org.apache.iceberg.rest.auth.OAuth2Util;
import org.apache.iceberg.rest.requests.ImmutableRemoteSignRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.RemoteSignResponse;

/**
 * Asks the endpoint to sign one S3 request of a table, as S3FileIO's remote signer does: Iceberg's HTTP client, a
 * token from the endpoint's token route for the principal's credential, and a {@link RemoteSignRequest} posted to
 * the table's sign route.
 */
final class SignClient implements AutoCloseable {

  private final HTTPClient http;
  private final Map<String, String> authHeaders;
  private final String path;
  private final RemoteSignRequest request;

  /**
   * @param objectUri the S3 object to read, as S3FileIO addresses it (endpoint, bucket, key)
   */
  SignClient(URI apiUri, String credential, String prefix, TableIdentifier table, URI objectUri) {
    requireNonNull(credential, "credential");
    this.http = HTTPClient.builder(Map.of()).uri(requireNonNull(apiUri, "apiUri"))
        .withAuthSession(AuthSession.EMPTY).build();
    String token = OAuth2Util.fetchToken(http, Map.of(), credential, OAuth2Properties.CATALOG_SCOPE,
        ResourcePaths.tokens(), Map.of()).token();
    this.authHeaders = OAuth2Util.authHeaders(token);
    this.path = ResourcePaths.forCatalogProperties(Map.of("prefix", prefix)).remoteSign(table);
    this.request = ImmutableRemoteSignRequest.builder()
        .region("us-east-1")
        .method("GET")
        .uri(requireNonNull(objectUri, "objectUri"))
        .headers(Map.of("amz-sdk-invocation-id", List.of(UUID.randomUUID().toString()),
            "x-amz-content-sha256", List.of("UNSIGNED-PAYLOAD")))
        .properties(Map.of())
        .provider("s3")
        .build();
  }

  /** One signed GET of the object; refusals and failures throw Iceberg's exceptions. */
  RemoteSignResponse sign() {
    return http.post(path, request, RemoteSignResponse.class, authHeaders, ErrorHandlers.defaultErrorHandler());
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
