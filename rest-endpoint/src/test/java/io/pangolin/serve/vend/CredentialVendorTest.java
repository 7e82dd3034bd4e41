package io.pangolin.serve.vend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pangolin.security.Secret;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.credentials.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No real STS can be reached from here, so the vendor's STS client is pointed at {@link StsStandIn}, which records
 * the AssumeRole call (form, signature header) and answers a canned AssumeRoleResponse. What AWS would then
 * enforce is out of reach; these tests pin down exactly what is asked of it.
 */
class CredentialVendorTest {

  private static final String WAREHOUSE_KEY = "AKIAWAREHOUSE0000001";
  private static final String WAREHOUSE_SECRET = "warehouse-secret-do-not-print";
  private static final String VENDED_SECRET = "vended-secret-do-not-print";
  private static final String VENDED_TOKEN = "vended-session-token-do-not-print";
  private static final String ROLE = "arn:aws:iam::123456789012:role/lake/pangolin-vend";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static CredentialVendor vendor;

  @BeforeAll
  static void startVendor() {
    vendor = CredentialVendor.withUrlConnection();
  }

  @AfterAll
  static void closeVendor() {
    vendor.close();
  }

  private static VendRequest request(URI sts, String role, Optional<String> externalId, String location,
      Access access) {
    return new VendRequest("acme/lake", "db.events", location, access, WAREHOUSE_KEY, Secret.of(WAREHOUSE_SECRET),
        "eu-central-1", role, externalId, Optional.of(sts), 1800);
  }

  @Test
  void readCredentialsAreAssumedWithTheWarehouseKeysAndATablePolicy() throws Exception {
    try (StsStandIn sts = StsStandIn.granting("ASIAVENDED", VENDED_SECRET, VENDED_TOKEN, "2026-12-08T01:00:00Z")) {
      Credential credential = vendor.vend("alice",
          request(sts.endpoint(), ROLE, Optional.of("tenant:acme"), "s3://lake-bucket/wh/db/events/", Access.READ));

      assertThat(sts.requests()).hasSize(1);
      StsStandIn.Recorded call = sts.requests().get(0);
      assertThat(call.method()).isEqualTo("POST");
      assertThat(call.path()).isEqualTo("/");
      assertThat(call.form()).containsOnlyKeys(
          "Action", "Version", "RoleArn", "RoleSessionName", "DurationSeconds", "ExternalId", "Policy");
      assertThat(call.form()).containsEntry("Action", "AssumeRole")
          .containsEntry("Version", "2011-06-15")
          .containsEntry("RoleArn", ROLE)
          .containsEntry("RoleSessionName", "pangolin-alice")
          .containsEntry("DurationSeconds", "1800")
          .containsEntry("ExternalId", "tenant:acme");
      assertThat(JSON.readTree(call.form().get("Policy"))).isEqualTo(JSON.readTree("""
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject"],
             "Resource": ["arn:aws:s3:::lake-bucket/wh/db/events/*"]},
            {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::lake-bucket"],
             "Condition": {"StringLike": {"s3:prefix": ["wh/db/events/*"]}}}]}
          """));
      assertThat(call.authorization())
          .startsWith("AWS4-HMAC-SHA256 Credential=" + WAREHOUSE_KEY + "/")
          .contains("/eu-central-1/sts/aws4_request")
          .doesNotContain(WAREHOUSE_SECRET);

      assertThat(credential.prefix()).isEqualTo("s3://lake-bucket/wh/db/events");
      assertThat(credential.config()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "s3.access-key-id", "ASIAVENDED",
          "s3.secret-access-key", VENDED_SECRET,
          "s3.session-token", VENDED_TOKEN,
          "s3.session-token-expires-at-ms",
          Long.toString(Instant.parse("2026-12-08T01:00:00Z").toEpochMilli()),
          "client.region", "eu-central-1"));
      assertThat(credential.toString()).contains("ASIAVENDED")
          .doesNotContain(VENDED_SECRET).doesNotContain(VENDED_TOKEN);
    }
  }

  @Test
  void writeCredentialsAddWriteActionsInTheRolesPartitionAndSendNoExternalIdWhenNoneIsSet() throws Exception {
    String role = "arn:aws-cn:iam::123456789012:role/pangolin-vend";
    try (StsStandIn sts = StsStandIn.granting("ASIAVENDED", VENDED_SECRET, VENDED_TOKEN, "2026-12-08T01:00:00Z")) {
      vendor.vend("alice", request(sts.endpoint(), role, Optional.empty(), "s3a://lake-bucket/db/t1", Access.WRITE));

      StsStandIn.Recorded call = sts.requests().get(0);
      assertThat(call.form()).doesNotContainKey("ExternalId").containsEntry("RoleArn", role);
      assertThat(JSON.readTree(call.form().get("Policy"))).isEqualTo(JSON.readTree("""
          {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject",
               "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
             "Resource": ["arn:aws-cn:s3:::lake-bucket/db/t1/*"]},
            {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws-cn:s3:::lake-bucket"],
             "Condition": {"StringLike": {"s3:prefix": ["db/t1/*"]}}}]}
          """));
    }
  }

  @Test
  void accessDeniedIsForbiddenNamingWarehouseAndRoleButNoSecret() throws Exception {
    try (StsStandIn sts = StsStandIn.failing(403, "AccessDenied", "User: arn:aws:iam::123456789012:user/lake is"
        + " not authorized to perform: sts:AssumeRole on resource: " + ROLE)) {
      VendRequest request = request(sts.endpoint(), ROLE, Optional.of("tenant:acme"), "s3://b-1/db/t", Access.READ);
      assertThatThrownBy(() -> vendor.vend("alice", request))
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("'db.events'").hasMessageContaining("'acme/lake'").hasMessageContaining(ROLE)
          .hasMessageContaining("external id")
          .hasNoCause()
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WAREHOUSE_SECRET));
      assertThat(sts.requests()).hasSize(1);
    }
  }

  @Test
  void otherStsRefusalsAreUnavailableNamingTheCode() throws Exception {
    try (StsStandIn sts = StsStandIn.failing(403, "InvalidClientTokenId", "The security token included in the"
        + " request is invalid.")) {
      VendRequest request = request(sts.endpoint(), ROLE, Optional.empty(), "s3://b-1/db/t", Access.READ);
      assertThatThrownBy(() -> vendor.vend("alice", request))
          .isInstanceOf(ServiceUnavailableException.class)
          .hasMessageContaining("InvalidClientTokenId").hasMessageContaining("'acme/lake'").hasMessageContaining(ROLE)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WAREHOUSE_SECRET));
    }
  }

  @Test
  void unreachableStsIsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    VendRequest request = request(URI.create("http://127.0.0.1:" + closedPort), ROLE, Optional.empty(),
        "s3://b-1/db/t", Access.READ);
    assertThatThrownBy(() -> vendor.vend("alice", request))
        .isInstanceOf(ServiceUnavailableException.class)
        .hasMessageContaining("could not be reached").hasMessageContaining("'acme/lake'").hasMessageContaining(ROLE)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(WAREHOUSE_SECRET));
  }

  @Test
  void locationsWithWildcardsOrTooLongForAPolicyAreRefusedBeforeStsIsAsked() throws Exception {
    try (StsStandIn sts = StsStandIn.granting("ASIAVENDED", VENDED_SECRET, VENDED_TOKEN, "2026-12-08T01:00:00Z")) {
      assertThatThrownBy(() -> vendor.vend("alice",
          request(sts.endpoint(), ROLE, Optional.empty(), "s3://b-1/db/*", Access.READ)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'db.events'").hasMessageContaining("'s3://b-1/db/*'").hasMessageContaining("wildcard");
      String longLocation = "s3://b-1/" + "d".repeat(1500);
      assertThatThrownBy(() -> vendor.vend("alice",
          request(sts.endpoint(), ROLE, Optional.empty(), longLocation, Access.WRITE)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'db.events'").hasMessageContaining(longLocation).hasMessageContaining("2048");
      assertThat(sts.requests()).isEmpty();
    }
  }

  @Test
  void sessionNamesKeepToStsCharactersAndLength() {
    assertThat(CredentialVendor.sessionName("alice")).isEqualTo("pangolin-alice");
    assertThat(CredentialVendor.sessionName("ops team/élan#1 x@y.z")).isEqualTo("pangolin-ops-team--lan-1-x@y.z");
    assertThat(CredentialVendor.sessionName("p".repeat(100))).isEqualTo("pangolin-" + "p".repeat(55)).hasSize(64);
  }
}
