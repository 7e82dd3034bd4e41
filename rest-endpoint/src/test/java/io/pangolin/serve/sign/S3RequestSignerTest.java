package io.pangolin.serve.sign;

import static io.pangolin.serve.sign.SignRequests.PATH_STYLE;
import static io.pangolin.serve.sign.SignRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.rest.responses.RemoteSignResponse;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** What the signer signs; the signature itself is proven by S3Proxy in RemoteSigningS3ProxyTest, never printed. */
class S3RequestSignerTest {

  private static final String URI = "http://127.0.0.1:9000/lake?delete";

  @Test
  void signsTheRequestsHeadersWithUnsignedPayloadAndReplacesTheClientsAuthentication() {
    Map<String, List<String>> headers = Map.of(
        "Content-MD5", List.of("1B2M2Y8AsgTpgAmY7PhCfg=="),
        "Content-Type", List.of("application/xml"),
        "amz-sdk-invocation-id", List.of("abc"),
        "amz-sdk-request", List.of("attempt=1; max=4"),
        "Authorization", List.of("AWS4-HMAC-SHA256 forged"),
        "X-Amz-Date", List.of("19700101T000000Z"),
        "Connection", List.of("keep-alive"));

    RemoteSignResponse signed = new S3RequestSigner().sign(request("POST", URI, headers, "<Delete/>"),
        AwsCredentialsIdentity.create("key-id", "secret"), PATH_STYLE);

    assertThat(signed.uri()).hasToString(URI);
    assertThat(signed.headers().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
    assertThat(signed.headers().get("X-Amz-Date")).singleElement().asString().isNotEqualTo("19700101T000000Z");
    String authorization = signed.headers().get("Authorization").get(0);
    assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=key-id/");
    assertThat(authorization).contains("/us-east-1/s3/aws4_request");
    assertThat(signedHeaders(authorization))
        .containsExactly("content-md5", "content-type", "host", "x-amz-content-sha256", "x-amz-date");
  }

  /** The SignedHeaders list of an Authorization value, without its signature. */
  private static List<String> signedHeaders(String authorization) {
    String after = authorization.substring(authorization.indexOf("SignedHeaders=") + "SignedHeaders=".length());
    return Arrays.asList(after.substring(0, after.indexOf(',')).split(";"));
  }
}
