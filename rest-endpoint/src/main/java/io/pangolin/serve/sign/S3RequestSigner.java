package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.ImmutableRemoteSignResponse;
import org.apache.iceberg.rest.responses.RemoteSignResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs an engine's S3 request with the warehouse's key, SigV4 as S3 expects from AWS's own SDK for a request whose
 * payload is not signed: UNSIGNED-PAYLOAD, no double URL encoding, no path normalisation, no chunked encoding. Only
 * call it for a request {@link S3RequestClassifier} accepted and the database allowed: it checks nothing itself.
 *
 * <p>The request's own method, URI and headers are signed as they are, except hop-by-hop headers, the headers an
 * SDK changes between attempts, and any authentication the client put there (Authorization, X-Amz-Date,
 * X-Amz-Content-Sha256, X-Amz-Security-Token): the signer sets those afresh. Iceberg's client puts its own headers
 * back over the answer, so a header it changed after signing breaks the signature rather than escaping it.
 */
public final class S3RequestSigner {

  private static final Set<String> NOT_SIGNED = Set.of(
      "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "host",
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "expect",
      "amz-sdk-invocation-id", "amz-sdk-request", "amz-sdk-retry");

  private final AwsV4HttpSigner signer;

  public S3RequestSigner() {
    this(AwsV4HttpSigner.create());
  }

  S3RequestSigner(AwsV4HttpSigner signer) {
    this.signer = requireNonNull(signer, "signer");
  }

  /** Signs {@code request} for {@code target} with {@code credentials}: the signed URI and every header to send. */
  public RemoteSignResponse sign(RemoteSignRequest request, AwsCredentialsIdentity credentials, S3Target target) {
    requireNonNull(request, "request");
    requireNonNull(credentials, "credentials");
    requireNonNull(target, "target");
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    request.headers().forEach((name, values) -> {
      if (!NOT_SIGNED.contains(name.toLowerCase(Locale.ROOT))) {
        headers.put(name, List.copyOf(values));
      }
    });
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .uri(request.uri())
        .method(SdkHttpMethod.fromValue(request.method().toUpperCase(Locale.ROOT)))
        .headers(headers)
        .build();
    SignedRequest signed = signer.sign(r -> r
        .identity(credentials)
        .request(unsigned)
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, target.region())
        .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
        .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));
    return ImmutableRemoteSignResponse.builder()
        .uri(signed.request().getUri())
        .headers(signed.request().headers())
        .build();
  }
}
