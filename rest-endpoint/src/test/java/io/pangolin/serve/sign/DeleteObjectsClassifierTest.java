package io.pangolin.serve.sign;

import static io.pangolin.serve.sign.SignRequests.PATH_STYLE;
import static io.pangolin.serve.sign.SignRequests.request;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DeleteObjects: the body's keys are signed only when a signed checksum header binds exactly that body. */
class DeleteObjectsClassifierTest {

  private static final String DELETE = "http://127.0.0.1:9000/lake?delete";
  private static final TableLocation T1 = TableLocation.parse("s3://lake/warehouse/ns/t1");

  @ParameterizedTest
  @ValueSource(strings = {"Content-MD5", "x-amz-checksum-crc32", "x-amz-checksum-crc32c", "x-amz-checksum-sha1",
      "x-amz-checksum-sha256"})
  void keysOfABoundBodyAreClassifiedAsWrites(String header) throws Exception {
    String body = body("warehouse/ns/t1/data/a.parquet", "warehouse/ns/t1/metadata/b &amp; c.avro");

    S3Access access = S3RequestClassifier.classify(
        request("POST", DELETE, Map.of(header, List.of(checksum(header, body))), body), PATH_STYLE);

    assertThat(access).isEqualTo(new S3Access(S3Access.Access.WRITE, "DeleteObjects", "lake",
        List.of("warehouse/ns/t1/data/a.parquet", "warehouse/ns/t1/metadata/b & c.avro"), false));
    assertThat(T1.contains(access)).isTrue();
  }

  @Test
  void oneKeyOutsideTheTableIsNotContained() throws Exception {
    String body = body("warehouse/ns/t1/data/a.parquet", "warehouse/ns/t2/data/secret.parquet");

    S3Access access = S3RequestClassifier.classify(md5(body), PATH_STYLE);

    assertThat(T1.contains(access)).isFalse();
    assertThat(access.locations()).contains("s3://lake/warehouse/ns/t2/data/secret.parquet");
  }

  @Test
  void aTraversingKeyIsRefused() throws Exception {
    String body = body("warehouse/ns/t1/data/a.parquet", "warehouse/ns/t1/../t2/secret.parquet");

    assertThatThrownBy(() -> S3RequestClassifier.classify(md5(body), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("DeleteObjects of s3://lake/warehouse/ns/t1/../t2/secret.parquet is not signed");
  }

  @Test
  void aChecksumOfAnotherBodyIsRefused() throws Exception {
    String checked = body("warehouse/ns/t1/data/a.parquet");
    String sent = body("warehouse/ns/t2/data/secret.parquet");

    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE,
        Map.of("x-amz-checksum-crc32c", List.of(checksum("x-amz-checksum-crc32c", checked))), sent), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("the x-amz-checksum-crc32c header does not match the DeleteObjects body");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE,
        Map.of("Content-MD5", List.of(checksum("Content-MD5", sent)),
            "x-amz-checksum-sha256", List.of(checksum("x-amz-checksum-sha256", checked))), sent), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("x-amz-checksum-sha256 header does not match");
  }

  @Test
  void aBodyWithoutAVerifiableChecksumIsRefused() throws Exception {
    String body = body("warehouse/ns/t1/data/a.parquet");

    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE, Map.of(), body), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("carries no Content-MD5 or x-amz-checksum-crc32");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE,
        Map.of("x-amz-checksum-crc64nvme", List.of("AAAAAAAAAAA=")), body), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("cannot verify x-amz-checksum-crc64nvme");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE,
        Map.of("Content-MD5", List.of(checksum("Content-MD5", body)), "x-amz-trailer", List.of("x-amz-checksum-crc32")),
        body), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class)
        .hasMessageContaining("x-amz-trailer");
    assertThatThrownBy(() -> S3RequestClassifier.classify(request("POST", DELETE, Map.of(), null), PATH_STYLE))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("needs its XML body");
  }

  @Test
  void aDoctypeOrExternalEntityIsRefusedWithoutBeingRead() throws Exception {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE Delete [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Delete><Object><Key>warehouse/ns/t1/&x;</Key></Object></Delete>";
    String billionLaughs = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;\">]>"
        + "<Delete><Object><Key>warehouse/ns/t1/&b;</Key></Object></Delete>";

    for (String body : List.of(xxe, billionLaughs)) {
      assertThatThrownBy(() -> S3RequestClassifier.classify(md5(body), PATH_STYLE))
          .isInstanceOf(BadRequestException.class)
          .hasMessageContaining("not well-formed XML without a DTD")
          .hasMessageNotContaining("root:");
    }
  }

  @Test
  void atMostOneThousandKeys() throws Exception {
    String[] thousand = IntStream.range(0, 1_000).mapToObj(i -> "warehouse/ns/t1/data/" + i).toArray(String[]::new);
    String[] more = IntStream.range(0, 1_001).mapToObj(i -> "warehouse/ns/t1/data/" + i).toArray(String[]::new);

    assertThat(S3RequestClassifier.classify(md5(body(thousand)), PATH_STYLE).keys()).hasSize(1_000);
    assertThatThrownBy(() -> S3RequestClassifier.classify(md5(body(more)), PATH_STYLE))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("names more than 1000 keys");
  }

  @Test
  void versionsAndUnknownElementsAreRefused() throws Exception {
    String version = "<Delete><Object><Key>warehouse/ns/t1/a</Key><VersionId>3</VersionId></Object></Delete>";
    String other = "<Delete><Object><Key>warehouse/ns/t1/a</Key></Object><Bypass>true</Bypass></Delete>";
    String empty = "<Delete><Quiet>true</Quiet></Delete>";

    assertThatThrownBy(() -> S3RequestClassifier.classify(md5(version), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("no <VersionId>");
    assertThatThrownBy(() -> S3RequestClassifier.classify(md5(other), PATH_STYLE))
        .isInstanceOf(ForbiddenException.class).hasMessageContaining("<Bypass>");
    assertThatThrownBy(() -> S3RequestClassifier.classify(md5(empty), PATH_STYLE))
        .isInstanceOf(BadRequestException.class).hasMessageContaining("names no key");
  }

  private static org.apache.iceberg.rest.requests.RemoteSignRequest md5(String body) throws Exception {
    return request("POST", DELETE, Map.of("Content-MD5", List.of(checksum("Content-MD5", body))), body);
  }

  private static String body(String... keys) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        + "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        + List.of(keys).stream().map(k -> "<Object><Key>" + k + "</Key></Object>").collect(Collectors.joining())
        + "<Quiet>true</Quiet></Delete>";
  }

  private static String checksum(String header, String body) throws Exception {
    byte[] bytes = body.getBytes(UTF_8);
    byte[] value = switch (header.toLowerCase()) {
      case "content-md5" -> MessageDigest.getInstance("MD5").digest(bytes);
      case "x-amz-checksum-sha1" -> MessageDigest.getInstance("SHA-1").digest(bytes);
      case "x-amz-checksum-sha256" -> MessageDigest.getInstance("SHA-256").digest(bytes);
      case "x-amz-checksum-crc32" -> {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
      }
      case "x-amz-checksum-crc32c" -> {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        yield ByteBuffer.allocate(4).putInt((int) crc.getValue()).array();
      }
      default -> throw new IllegalArgumentException(header);
    };
    return Base64.getEncoder().encodeToString(value);
  }
}
