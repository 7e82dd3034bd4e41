package io.pangolin.serve.sign;

import static io.pangolin.serve.sign.S3Access.Access.READ;
import static io.pangolin.serve.sign.S3Access.Access.WRITE;
import static io.pangolin.serve.sign.SignRequests.AWS;
import static io.pangolin.serve.sign.SignRequests.PATH_STYLE;
import static io.pangolin.serve.sign.SignRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.requests.ImmutableRemoteSignRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every request shape the signer accepts, and every refusal, one case each. */
class S3RequestClassifierTest {

  private static final String OBJECT = "http://127.0.0.1:9000/lake/warehouse/ns/t1/data/f.parquet";
  private static final String BUCKET = "http://127.0.0.1:9000/lake";

  @ParameterizedTest
  @CsvSource({
      "GET, '', READ, GetObject",
      "GET, ?partNumber=2, READ, GetObject",
      "HEAD, '', READ, HeadObject",
      "PUT, '', WRITE, PutObject",
      "POST, ?uploads, WRITE, CreateMultipartUpload",
      "POST, ?uploads=, WRITE, CreateMultipartUpload",
      "PUT, ?partNumber=1&uploadId=abc, WRITE, UploadPart",
      "POST, ?uploadId=abc, WRITE, CompleteMultipartUpload",
      "DELETE, ?uploadId=abc, WRITE, AbortMultipartUpload",
      "GET, ?uploadId=abc, WRITE, ListParts",
      "DELETE, '', WRITE, DeleteObject"})
  void objectOperationsPathStyle(String method, String query, S3Access.Access access, String operation) {
    S3Access classified = S3RequestClassifier.classify(request(method, OBJECT + query), PATH_STYLE);

    assertThat(classified).isEqualTo(new S3Access(access, operation, "lake",
        List.of("warehouse/ns/t1/data/f.parquet"), false));
    assertThat(classified.locations()).containsExactly("s3://lake/warehouse/ns/t1/data/f.parquet");
  }

  @Test
  void objectOperationsByVirtualHostOnAwsDefaultEndpoint() {
    S3Access get = S3RequestClassifier.classify(
        request("GET", "https://lake.s3.us-east-1.amazonaws.com/warehouse/ns/t1/f.parquet"), AWS);
    S3Access put = S3RequestClassifier.classify(
        request("PUT", "https://my.lake.s3.us-east-1.amazonaws.com:443/warehouse/ns/t1/f.parquet"), AWS);

    assertThat(get).isEqualTo(S3Access.object(READ, "GetObject", "lake", "warehouse/ns/t1/f.parquet"));
    assertThat(put).isEqualTo(S3Access.object(WRITE, "PutObject", "my.lake", "warehouse/ns/t1/f.parquet"));
  }

  @Test
  void listingWithAPrefixPathStyleAndVirtualHost() {
    String query = "?list-type=2&prefix=warehouse%2Fns%2Ft1%2F&delimiter=%2F&max-keys=1000&encoding-type=url"
        + "&continuation-token=abc&start-after=x&fetch-owner=false";
    S3Access path = S3RequestClassifier.classify(request("GET", BUCKET + query), PATH_STYLE);
    S3Access virtual = S3RequestClassifier.classify(
        request("GET", "https://lake.s3.us-east-1.amazonaws.com/" + query), AWS);

    S3Access expected = new S3Access(READ, "ListObjectsV2", "lake", List.of("warehouse/ns/t1/"), true);
    assertThat(path).isEqualTo(expected);
    assertThat(virtual).isEqualTo(expected);
    assertThat(S3RequestClassifier.classify(request("GET", BUCKET + "/?list-type=2&prefix=w/t/"), PATH_STYLE)
        .keys()).containsExactly("w/t/");
  }

  @Test
  void keysArePercentDecodedExactlyOnce() {
    assertThat(keyOf(OBJECT.replace("f.parquet", "a%2520b%E2%82%AC"))).isEqualTo("warehouse/ns/t1/data/a%20b€");
    assertThat(keyOf(OBJECT.replace("data/f", "data%2Ff"))).isEqualTo("warehouse/ns/t1/data/f.parquet");
    assertThat(keyOf(OBJECT.replace("f.parquet", "a+b.parquet"))).isEqualTo("warehouse/ns/t1/data/a+b.parquet");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/lake/warehouse/ns/t1/../t2/f.parquet",
      "/lake/warehouse/ns/t1/%2E%2E/t2/f.parquet",
      "/lake/warehouse/ns/t1/%2e%2e/t2/f.parquet",
      "/lake/warehouse/ns/t1/%2e/f.parquet",
      "/lake/warehouse/ns/t1/./f.parquet",
      "/lake/warehouse/ns/t1%2F..%2Ft2/f.parquet",
      "/lake/warehouse/ns/t1/%2F%2E%2E%2Ft2/f.parquet",
      "/lake/warehouse/ns/t1/..",
      "/lake/warehouse/ns/t1/%5C..%5Ct2/f.parquet",
      "/lake/warehouse/ns/t1//f.parquet",
      "/lake//warehouse/ns/t1/f.parquet",
      "/lake/warehouse/ns/t1/",
      "/lake/warehouse/ns/t1/%00f.parquet"})
  void keysThatCouldLeaveTheirDirectoryAreRefused(String path) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("GET", "http://127.0.0.1:9000" + path),
        PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageStartingWith("Refused to sign GET /lake/")
        .hasMessageContaining("GetObject of s3://lake/")
        .hasMessageContaining("is not signed: the key");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://127.0.0.2:9000/lake/k | host 127.0.0.2 is not the warehouse's endpoint http://127.0.0.1:9000",
      "http://localhost:9000/lake/k | host localhost is not the warehouse's endpoint",
      "http://127.0.0.1:9001/lake/k | addressed to http://127.0.0.1:9001, not to the warehouse's endpoint",
      "https://127.0.0.1:9000/lake/k | addressed to https://127.0.0.1:9000",
      "http://127.0.0.1/lake/k | addressed to http://127.0.0.1:80"})
  void anotherHostPortOrSchemeIsRefused(String uri, String why) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("GET", uri), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining(why);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://s3.us-east-1.amazonaws.com/lake/k",
      "https://lake.s3.us-east-1.amazonaws.com.evil.example/k",
      "https://lake.evil.example/k",
      "https://lake.s3.eu-west-1.amazonaws.com/k",
      "http://lake.s3.us-east-1.amazonaws.com/k"})
  void virtualHostRequestsElsewhereAreRefused(String uri) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("GET", uri), AWS))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("https://s3.us-east-1.amazonaws.com:443");
  }

  @Test
  void anotherRegionIsRefused() {
    RemoteSignRequest request = ImmutableRemoteSignRequest.builder().from(request("GET", OBJECT))
        .region("eu-west-1").build();

    assertThatThrownBy(() -> S3RequestClassifier.classify(request, PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("region 'eu-west-1' is not the warehouse's region 'us-east-1'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "?list-type=2 | without a prefix would list every table",
      "?list-type=2&prefix= | without a prefix would list every table",
      "/?list-type=2&prefix=&delimiter=%2F | without a prefix would list every table",
      "?list-type=1&prefix=w/ | only ListObjectsV2 (list-type=2)",
      "?prefix=w/ | bucket-level request GET on bucket lake with query parameters 'prefix'",
      "'' | bucket-level request GET on bucket lake is not signed",
      "?uploads | bucket-level request GET on bucket lake with query parameters 'uploads'",
      "?list-type=2&prefix=w/&acl | the query parameter 'acl' is not signed for ListObjectsV2",
      "?list-type=2&prefix=w/../ | the key has a '..' segment"})
  void listingsOfTheBucketRootAndOtherBucketReadsAreRefused(String query, String why) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("GET", BUCKET + query), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining(why);
  }

  @ParameterizedTest
  @CsvSource({"PUT, ''", "DELETE, ''", "PUT, ?policy", "DELETE, ?cors", "PUT, ?versioning", "POST, ''",
      "HEAD, ''", "PUT, ?lifecycle", "PUT, ?website"})
  void bucketLevelWritesAreRefused(String method, String query) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request(method, BUCKET + query), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("bucket-level request " + method + " on bucket lake");
  }

  @ParameterizedTest
  @CsvSource({
      "GET, acl", "PUT, acl", "GET, policy", "GET, tagging", "PUT, tagging", "DELETE, tagging", "GET, versioning",
      "GET, lifecycle", "GET, cors", "GET, website", "GET, versionId=3", "DELETE, versionId=3", "HEAD, versionId=3",
      "GET, torrent", "GET, retention", "PUT, legal-hold", "GET, attributes", "POST, restore", "POST, select",
      "GET, response-content-type=text%2Fhtml", "PUT, uploadId=abc&partNumber=1&acl", "POST, uploads&tagging",
      "GET, X-Amz-Signature=abc"})
  void subResourcesAndOtherParametersAreRefused(String method, String query) {
    String parameter = query.replaceAll("^.*&", "").replaceAll("=.*$", "");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request(method, OBJECT + "?" + query), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("Refused to sign " + method + " /lake/warehouse/ns/t1/data/f.parquet")
        .hasMessageContaining("'" + parameter + "'");
  }

  @Test
  void copiesAreRefused() {
    Map<String, List<String>> copy = Map.of("X-Amz-Copy-Source", List.of("/lake/warehouse/ns/t2/secret"));

    assertThatThrownBy(() -> S3RequestClassifier.classify(request("PUT", OBJECT, copy, null), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("x-amz-copy-source copies an object the request does not name")
        .hasMessageNotContaining("t2");
    assertThatThrownBy(() -> S3RequestClassifier.classify(
        request("PUT", OBJECT + "?partNumber=1&uploadId=abc", copy, null), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("x-amz-copy-source");
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-amz-acl", "X-Amz-Grant-Read", "x-amz-tagging", "x-amz-object-lock-mode",
      "x-amz-website-redirect-location", "x-amz-request-payer", "x-amz-copy-source-range", "x-amz-bypass-governance"})
  void unknownAmzHeadersAreRefused(String header) {
    Map<String, List<String>> headers = Map.of(header, List.of("value-not-echoed"));

    assertThatThrownBy(() -> S3RequestClassifier.classify(request("PUT", OBJECT, headers, null), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("the header " + header.toLowerCase() + " is not on the signer's allow list")
        .hasMessageNotContaining("value-not-echoed");
  }

  @Test
  void allowedHeadersPass() {
    Map<String, List<String>> headers = Map.of("Content-Type", List.of("application/octet-stream"),
        "X-Amz-Meta-Iceberg", List.of("1"), "x-amz-server-side-encryption", List.of("AES256"),
        "x-amz-checksum-crc32c", List.of("AAAAAA=="), "x-amz-sdk-checksum-algorithm", List.of("CRC32C"),
        "x-amz-storage-class", List.of("STANDARD"), "x-amz-expected-bucket-owner", List.of("123"),
        "Authorization", List.of("AWS4-HMAC-SHA256 Credential=x, Signature=deadbeef"));

    assertThat(S3RequestClassifier.classify(request("PUT", OBJECT, headers, null), PATH_STYLE).operation())
        .isEqualTo("PutObject");
  }

  @Test
  void refusalsNeverEchoHeaderValuesOrQueryValues() {
    Map<String, List<String>> headers = Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Signature=deadbeef"),
        "x-amz-acl", List.of("public-read"));

    assertThatThrownBy(() -> S3RequestClassifier.classify(
        request("PUT", OBJECT + "?X-Amz-Credential=AKIDSECRET", headers, null), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageNotContaining("deadbeef")
        .hasMessageNotContaining("AKIDSECRET")
        .hasMessageNotContaining("public-read");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GET | ?partNumber=1&partNumber=2 | appears more than once",
      "GET | ?partNumber=0 | partNumber must be a number from 1 to 10000",
      "GET | ?partNumber=10001 | partNumber must be a number from 1 to 10000",
      "PUT | ?uploadId=abc | partNumber must be a number from 1 to 10000",
      "POST | ?uploadId= | uploadId must not be empty",
      "GET | ?partNumber=%FF | not validly percent-encoded",
      "GET | ?partNumber=1+2 | raw '+'"})
  void malformedQueriesAreBadRequests(String method, String query, String why) {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request(method, OBJECT + query), PATH_STYLE))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining(why);
  }

  @Test
  void malformedRequestsAreBadRequests() {
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("GET", BUCKET + "/a%C0%AFb"), PATH_STYLE))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("not validly percent-encoded UTF-8");
    assertThatThrownBy(() -> S3RequestClassifier.classify(
        request("GET", "http://127.0.0.1:9000/Lake_Bucket/k"), PATH_STYLE))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("'Lake_Bucket' is not an S3 bucket name");
    assertThatThrownBy(() -> S3RequestClassifier.classify(
        request("GET", "http://user@127.0.0.1:9000/lake/k"), PATH_STYLE))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("user information");
    assertThatThrownBy(() -> S3RequestClassifier.classify(
        ImmutableRemoteSignRequest.builder().from(request("GET", OBJECT)).provider("gcs").build(), PATH_STYLE))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("provider 'gcs' is not signed here");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("PATCH", OBJECT), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("method PATCH on an object is not signed");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", OBJECT), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("POST on an object is signed only as");
  }

  private static String keyOf(String uri) {
    return S3RequestClassifier.classify(request("GET", URI.create(uri).toString()), PATH_STYLE).keys().get(0);
  }
}
