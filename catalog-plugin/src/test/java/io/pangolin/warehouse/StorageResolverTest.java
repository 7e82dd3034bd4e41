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
}
