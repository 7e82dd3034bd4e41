package io.pangolin.serve.vend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.security.Secret;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.WarehouseConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VendRequestTest {

  private static final String ROLE = "arn:aws-cn:iam::123456789012:role/vend";

  private static WarehouseConfig warehouse(CredentialType type, Map<String, String> settings) {
    boolean keys = type == CredentialType.STATIC;
    return new WarehouseConfig(1, "acme", "lake", "s3://bucket/root", List.of(), settings, type,
        keys ? "AKIA1" : null, keys ? Secret.of("top-secret") : null, 3);
  }

  @Test
  void takesRoleStsAndDurationFromTheWarehouseSettings() {
    VendRequest request = VendRequest.forTable(warehouse(CredentialType.STATIC, Map.of(
            "assume-role-arn", ROLE, "assume-role-external-id", "ext-1", "sts-endpoint", "http://127.0.0.1:1",
            "vended-credentials-duration", "7200", "region", "cn-north-1")),
        "db.t", "s3://bucket/root/db/t", Access.WRITE).orElseThrow();
    assertThat(request.roleArn()).isEqualTo(ROLE);
    assertThat(request.partition()).isEqualTo("aws-cn");
    assertThat(request.externalId()).contains("ext-1");
    assertThat(request.stsEndpoint()).contains(URI.create("http://127.0.0.1:1"));
    assertThat(request.durationSeconds()).isEqualTo(7200);
    assertThat(request.region()).isEqualTo("cn-north-1");
    assertThat(request.accessKeyId()).isEqualTo("AKIA1");
    assertThat(request.secretAccessKey().reveal()).isEqualTo("top-secret");
    assertThat(request.toString()).doesNotContain("top-secret");
  }

  @Test
  void defaultsToAnHourInTheDefaultRegionWithoutExternalIdOrEndpoint() {
    VendRequest request = VendRequest.forTable(warehouse(CredentialType.STATIC, Map.of("assume-role-arn", ROLE)),
        "db.t", "s3://bucket/root/db/t", Access.READ).orElseThrow();
    assertThat(request.durationSeconds()).isEqualTo(3600);
    assertThat(request.region()).isEqualTo("us-east-1");
    assertThat(request.externalId()).isEmpty();
    assertThat(request.stsEndpoint()).isEmpty();
  }

  @Test
  void noRoleMeansNothingToVend() {
    assertThat(VendRequest.forTable(warehouse(CredentialType.STATIC, Map.of()), "db.t", "s3://bucket/root/t",
        Access.READ)).isEmpty();
  }

  @Test
  void aRoleWithoutTheWarehousesOwnKeysIsRefusedNamingTheFix() {
    assertThatThrownBy(() -> VendRequest.forTable(
        warehouse(CredentialType.ENGINE_IDENTITY, Map.of("assume-role-arn", ROLE)), "db.t", "s3://bucket/root/t",
        Access.READ))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'acme/lake'").hasMessageContaining(ROLE).hasMessageContaining("set-credentials");
  }

  @Test
  void aMalformedRoleIsRefused() {
    assertThatThrownBy(() -> new VendRequest("acme/lake", "db.t", "s3://b/t", Access.READ, "AKIA1",
        Secret.of("s"), "us-east-1", "arn:aws:iam::1:role/x", Optional.empty(), Optional.empty(), 900))
        .hasMessageContaining("'acme/lake'").hasMessageContaining("assume-role-arn");
  }
}
