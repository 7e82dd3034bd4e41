package io.pangolin.serve.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.TestS3;
import io.pangolin.warehouse.WarehouseSettings;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileInfo;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Iceberg's S3FileIO with remote signing and no key of its own, against S3Proxy, which checks every signature with
 * a random key only the sign route holds: what succeeds was signed by {@link S3RequestSigner}, what the classifier
 * or the table location refuses reaches the engine as Iceberg's ForbiddenException with the signer's message.
 */
class RemoteSigningS3ProxyTest {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteSigningS3ProxyTest.class);
  private static final String BUCKET = "lake";
  private static final String T1 = "s3://lake/warehouse/ns/t1/";
  private static final String OTHER_TABLE_OBJECT = "warehouse/ns/t2/data/secret.parquet";

  private static TestS3 s3;
  private static Server server;
  private static SigningHandler signing;

  @BeforeAll
  static void start() throws Exception {
    s3 = TestS3.start("sign-" + UUID.randomUUID(), UUID.randomUUID().toString());
    s3.createBucket(BUCKET);
    try (S3Client client = s3.client()) {
      client.putObject(b -> b.bucket(BUCKET).key(OTHER_TABLE_OBJECT), RequestBody.fromString("t2's data"));
    }
    S3Target target = S3Target.fromSettings(Map.of(WarehouseSettings.ENDPOINT, s3.endpoint(),
        WarehouseSettings.PATH_STYLE_ACCESS, "true"));
    signing = new SigningHandler("/v1/lake/sign", target, TableLocation.parse(T1),
        AwsCredentialsIdentity.create(s3.accessKey(), s3.secretKey()));
    SigningHandler wrongKey = new SigningHandler("/v1/wrong-key/sign", target, TableLocation.parse(T1),
        AwsCredentialsIdentity.create(s3.accessKey(), "not-" + s3.secretKey()));
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(new Handler.Sequence(signing, wrongKey));
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    s3.close();
  }

  @Test
  void writesReadsListsAndDeletesUnderTheTableSignedOnlyByTheRoute() throws Exception {
    try (S3FileIO io = fileIo("v1/lake/sign")) {
      String small = T1 + "data/00000-small.parquet";
      write(io, small, "this table's data".getBytes(UTF_8));
      try (InputStream in = io.newInputFile(small).newStream()) {
        assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("this table's data");
      }
      assertThat(io.newInputFile(small).getLength()).isEqualTo(17);

      // Larger than 1.5 parts of 5 MiB: CreateMultipartUpload, UploadPart, CompleteMultipartUpload.
      String large = T1 + "data/00001-large.parquet";
      write(io, large, new byte[12 * 1024 * 1024]);
      assertThat(io.newInputFile(large).getLength()).isEqualTo(12 * 1024 * 1024);

      List<String> bulk = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        bulk.add(T1 + "metadata/snap-" + i + ".avro");
        write(io, bulk.get(i), ("snapshot " + i).getBytes(UTF_8));
      }
      assertThat(StreamSupport.stream(io.listPrefix(T1).spliterator(), false).map(FileInfo::location))
          .containsExactlyInAnyOrder(small, large, bulk.get(0), bulk.get(1), bulk.get(2));

      io.deleteFile(small);
      io.deleteFiles(bulk);
      assertThat(s3.keys(BUCKET, "warehouse/ns/t1/")).containsExactly("warehouse/ns/t1/data/00001-large.parquet");
      io.deleteFile(large);
      assertThat(s3.keys(BUCKET, "warehouse/ns/t1/")).isEmpty();
    }
    Map<String, List<List<String>>> byOperation = signing.headersByOperation();
    byOperation.forEach((operation, headers) -> LOG.debug("{}: {}", operation, headers.stream().distinct().toList()));
    assertThat(byOperation).containsKeys("PutObject", "GetObject", "HeadObject", "ListObjectsV2",
        "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "DeleteObject", "DeleteObjects");
    assertThat(byOperation.get("DeleteObjects")).allMatch(names -> names.stream()
        .anyMatch(name -> name.equals("content-md5") || name.startsWith("x-amz-checksum-crc")));
  }

  @Test
  void readingAnotherTablesObjectAndListingTheWarehouseAreForbidden() {
    try (S3FileIO io = fileIo("v1/lake/sign")) {
      assertThatThrownBy(() -> io.newInputFile("s3://lake/" + OTHER_TABLE_OBJECT).newStream().read())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("lacks READ on GetObject s3://lake/" + OTHER_TABLE_OBJECT);
      assertThatThrownBy(() -> io.listPrefix("s3://lake/warehouse/").iterator().next())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("lacks READ on ListObjectsV2 s3://lake/warehouse/ (outside " + T1 + ")");
      assertThatThrownBy(() -> io.listPrefix("s3://lake/").iterator().next())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("Refused to sign GET /lake")
          .hasMessageContaining("without a prefix would list every table");
    }
  }

  @Test
  void aBulkDeleteNamingAnotherTablesObjectDeletesNothing() throws Exception {
    try (S3FileIO io = fileIo("v1/lake/sign")) {
      String mine = T1 + "data/kept.parquet";
      write(io, mine, "kept".getBytes(UTF_8));
      assertThatThrownBy(() -> io.deleteFiles(List.of(mine, "s3://lake/" + OTHER_TABLE_OBJECT)))
          .isInstanceOf(BulkDeletionFailureException.class);
      assertThat(s3.keys(BUCKET, "warehouse/ns/")).contains("warehouse/ns/t1/data/kept.parquet", OTHER_TABLE_OBJECT);
      io.deleteFile(mine);
    }
  }

  @Test
  void theStoreRefusesASignatureMadeWithAnotherSecret() {
    try (S3FileIO io = fileIo("v1/wrong-key/sign")) {
      assertThatThrownBy(() -> write(io, T1 + "data/never.parquet", "never".getBytes(UTF_8)))
          .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }
    assertThat(s3.keys(BUCKET, "warehouse/ns/t1/data/never")).isEmpty();
  }

  /** A REST client's table FileIO: the store's address, the sign route and a token, and no key of its own. */
  private static S3FileIO fileIo(String signPath) {
    S3FileIO io = new S3FileIO();
    io.initialize(Map.of(
        "s3.endpoint", s3.endpoint(),
        "s3.path-style-access", "true",
        "client.region", "us-east-1",
        "http-client.type", "urlconnection",
        "s3.multipart.part-size-bytes", String.valueOf(5 * 1024 * 1024),
        "s3.remote-signing-enabled", "true",
        "uri", server.getURI().toString().replaceAll("/$", ""),
        "rest.remote-signing.endpoint", signPath,
        "token", "test-token"));
    return io;
  }

  private static void write(S3FileIO io, String location, byte[] data) throws Exception {
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(data);
    }
  }
}
