package io.pangolin.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.security.Secret;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StorageResolverTest {

  private static WarehouseConfig warehouse(CredentialType type, String key, Secret secret, Map<String, String> s) {
    return new WarehouseConfig(1, "acme", "lake", "s3://bucket/root", List.of(), s, type, key, secret, 3);
  }

  @Test
  void staticCredentialsAndSettingsReachTheFileIo() {
    ResolvedStorage resolved = new StorageResolver().resolve(warehouse(CredentialType.STATIC, "AKIA1",
        Secret.of("top-secret"), Map.of("endpoint", "http://minio:9000", "path-style-access", "true",
            "checksum-mode", "when-required", "region", "eu-central-1", "fileio.s3.sse.type", "s3")));
    assertThat(resolved.fileIoProperties())
        .containsEntry("s3.access-key-id", "AKIA1")
        .containsEntry("s3.secret-access-key", "top-secret")
        .containsEntry("s3.endpoint", "http://minio:9000")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("client.region", "eu-central-1")
        .containsEntry("s3.client-factory-impl", PangolinS3ClientFactory.class.getName())
        .containsEntry("s3.sse.type", "s3");
    assertThat(resolved.configVersion()).isEqualTo(3);
    assertThat(resolved.toString()).doesNotContain("top-secret");
    assertThat(new WarehouseFileIO(resolved).toString()).doesNotContain("top-secret");
    assertThat(warehouse(CredentialType.STATIC, "AKIA1", Secret.of("top-secret"), Map.of()).toString())
        .doesNotContain("top-secret");
  }

  @Test
  void engineIdentitySetsNoKeysButAlwaysARegion() {
    ResolvedStorage resolved =
        new StorageResolver().resolve(warehouse(CredentialType.ENGINE_IDENTITY, null, null, Map.of()));
    assertThat(resolved.fileIoProperties())
        .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.client-factory-impl")
        .containsEntry("client.region", "us-east-1");
  }

  @Test
  void settingsThatWouldOverrideCredentialsAreRefused() {
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("fileio.s3.access-key-id", "x")))
        .hasMessageContaining("warehouse 'lake'").hasMessageContaining("credential type");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("endpoint", "minio:9000")))
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("colour", "blue")))
        .hasMessageContaining("unknown setting");
  }

  @Test
  void vendingSettingsAreAcceptedInTheirShape() {
    Map<String, String> settings = Map.of(
        "assume-role-arn", " arn:aws-us-gov:iam::123456789012:role/data/pangolin-vend ",
        "assume-role-external-id", "tenant:acme/lake=1",
        "sts-endpoint", "https://sts.eu-central-1.amazonaws.com",
        "vended-credentials-duration", "43200");
    assertThat(WarehouseSettings.validate("lake", settings))
        .containsEntry("assume-role-arn", "arn:aws-us-gov:iam::123456789012:role/data/pangolin-vend")
        .containsEntry("vended-credentials-duration", "43200")
        .hasSize(4);
    assertThat(WarehouseSettings.validate("lake", Map.of("vended-credentials-duration", "900")))
        .containsEntry("vended-credentials-duration", "900");
    assertThat(new StorageResolver().resolve(warehouse(CredentialType.STATIC, "AKIA1", Secret.of("s"), settings))
        .fileIoProperties()).doesNotContainKeys("assume-role-arn", "sts-endpoint", "vended-credentials-duration");
  }

  @Test
  void vendingSettingsOutOfShapeAreRefusedNamingSettingAndFix() {
    assertThatThrownBy(() -> WarehouseSettings.validate("lake",
        Map.of("assume-role-arn", "arn:aws:iam::12345678901:role/short-account")))
        .hasMessageContaining("'assume-role-arn'").hasMessageContaining("warehouse 'lake'")
        .hasMessageContaining("12-digit account");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake",
        Map.of("assume-role-arn", "arn:aws:iam::123456789012:user/alice")))
        .hasMessageContaining("arn:aws:iam::123456789012:role/name");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake",
        Map.of("assume-role-arn", "arn:aws:iam::123456789012:role/a\"}")))
        .hasMessageContaining("'assume-role-arn'");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("assume-role-external-id", "x")))
        .hasMessageContaining("'assume-role-external-id'").hasMessageContaining("2 to 1224");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("assume-role-external-id", "a b")))
        .hasMessageContaining("'assume-role-external-id'");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("sts-endpoint", "sts.amazonaws.com")))
        .hasMessageContaining("'sts-endpoint'").hasMessageContaining("https://");
    for (String duration : List.of("899", "43201", "1h", "")) {
      assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("vended-credentials-duration", duration)))
          .hasMessageContaining("'vended-credentials-duration'").hasMessageContaining("900 to 43200")
          .hasMessageContaining("'" + duration + "'");
    }
  }

  private static final Map<String, String> SIGNING = Map.of("storage-access", "remote-signing",
      "signer-uri", "https://pangolin.example:8181/", "endpoint", "http://minio:9000", "path-style-access", "true");

  @Test
  void aRemoteSigningWarehouseReachesItsFilesWithATokenAndNoKey() throws Exception {
    StorageResolver.Signer signer = new StorageResolver.Signer("acme_main",
        () -> new StorageResolver.Token(Secret.of("pgt_minted"), java.time.Instant.now().plusSeconds(3600)));
    ResolvedStorage resolved = new StorageResolver(signer).resolve(warehouse(CredentialType.STATIC, null, null,
        SIGNING));
    assertThat(resolved.fileIoProperties())
        .containsEntry("s3.remote-signing-enabled", "true")
        .containsEntry("uri", "https://pangolin.example:8181")
        .containsEntry("rest.remote-signing.endpoint", "v1/acme_main/sign")
        .containsEntry("token", "pgt_minted")
        .containsEntry("token-refresh-enabled", "true")
        .containsEntry("s3.endpoint", "http://minio:9000")
        .containsEntry("s3.path-style-access", "true")
        .containsEntry("client.region", "us-east-1")
        .doesNotContainKeys("s3.access-key-id", "s3.secret-access-key", "s3.session-token");
    assertThat(resolved.toString()).doesNotContain("pgt_minted");
    // Even a config that carries the key (as pangolin serve loads it) does not hand it to an engine's FileIO.
    assertThat(new StorageResolver(signer).resolve(warehouse(CredentialType.STATIC, "AKIA1", Secret.of("top"),
        SIGNING)).fileIoProperties()).doesNotContainKeys("s3.access-key-id", "s3.secret-access-key");
    // pangolin serve's resolver signs with the key it read; without one it says where the key is.
    assertThat(new StorageResolver().resolve(warehouse(CredentialType.STATIC, "AKIA1", Secret.of("top"), SIGNING))
        .fileIoProperties()).containsEntry("s3.access-key-id", "AKIA1").doesNotContainKey("token");
    assertThatThrownBy(() -> new StorageResolver().resolve(warehouse(CredentialType.STATIC, null, null, SIGNING)))
        .hasMessageContaining("'acme/lake' signs through pangolin serve").hasMessageContaining("only pangolin serve");
  }

  @Test
  void storageAccessSettingsOutOfShapeAreRefusedNamingSettingAndFix() {
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("storage-access", "signed")))
        .hasMessageContaining("Invalid setting 'storage-access' for warehouse 'lake'")
        .hasMessageContaining("expected keys").hasMessageContaining("or remote-signing");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("signer-uri", "pangolin:8181")))
        .hasMessageContaining("'signer-uri'").hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> WarehouseSettings.validate("lake", Map.of("signer-uri", "ftp://pangolin")))
        .hasMessageContaining("'signer-uri'");
    assertThatThrownBy(() -> WarehouseSettings.requireComplete("acme/lake",
        Map.of("storage-access", "remote-signing"), CredentialType.STATIC))
        .hasMessageContaining("'storage-access' for warehouse 'acme/lake'")
        .hasMessageContaining("--setting signer-uri=https://");
    assertThatThrownBy(() -> WarehouseSettings.requireComplete("acme/lake", SIGNING, CredentialType.ENGINE_IDENTITY))
        .hasMessageContaining("credential type 'engine-identity'").hasMessageContaining("--credentials static");
    assertThat(WarehouseSettings.validate("lake", Map.of("storage-access", "keys"))).containsEntry("storage-access",
        "keys");
    WarehouseSettings.requireComplete("acme/lake", SIGNING, CredentialType.STATIC);
  }
}
