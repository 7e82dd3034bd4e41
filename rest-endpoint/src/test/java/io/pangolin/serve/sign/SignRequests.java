package io.pangolin.serve.sign;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.rest.requests.ImmutableRemoteSignRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;

/** Sign requests as Iceberg's S3V4RestSignerClient sends them, for tests. */
public final class SignRequests {

  static final S3Target PATH_STYLE = new S3Target("http", "127.0.0.1", 9000, "us-east-1", true);
  static final S3Target AWS = S3Target.fromSettings(Map.of());

  private SignRequests() {}

  static RemoteSignRequest request(String method, String uri) {
    return request(method, uri, Map.of(), null);
  }

  public static RemoteSignRequest request(String method, String uri, Map<String, List<String>> headers,
      String body) {
    return ImmutableRemoteSignRequest.builder()
        .region("us-east-1")
        .method(method)
        .uri(URI.create(uri))
        .headers(headers)
        .properties(Map.of())
        .body(body)
        .provider("s3")
        .build();
  }
}
