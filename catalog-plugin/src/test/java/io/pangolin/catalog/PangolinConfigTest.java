package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.security.Redaction;
import io.pangolin.metastore.pool.PoolSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PangolinConfigTest {

  private static final Map<String, String> MINIMAL =
      Map.of("uri", "jdbc:postgresql://db:5432/pangolin", "pangolin.tenant", "acme");

  @Test
  void defaults() {
    PangolinConfig config = PangolinConfig.parse("lake", MINIMAL);
    assertThat(config.uri()).isEqualTo("jdbc:postgresql://db:5432/pangolin");
    assertThat(config.tenant()).isEqualTo("acme");
    assertThat(config.catalog()).as("defaults to the engine's catalog name").isEqualTo("lake");
    assertThat(config.autoMigrate()).isFalse();
    assertThat(config.poolMaxSize()).isEqualTo(PangolinConfig.POOL_MAX_SIZE_DEFAULT);
    assertThat(config.poolMinIdle()).isZero();
    assertThat(config.poolConnectionTimeoutMs()).isEqualTo(PangolinConfig.POOL_CONNECTION_TIMEOUT_MS_DEFAULT);
    assertThat(config.poolIdleCloseMs()).isEqualTo(PangolinConfig.POOL_IDLE_CLOSE_MS_DEFAULT).isEqualTo(300_000);
    assertThat(config.statementTimeoutSeconds()).isEqualTo(PangolinConfig.STATEMENT_TIMEOUT_S_DEFAULT);
    assertThat(config.metadataCacheSize()).isEqualTo(PangolinConfig.METADATA_CACHE_SIZE_DEFAULT);
    assertThat(config.metadataCacheMaxBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(config.consistentReads()).isFalse();
    assertThat(config.consistentReadsGapMs()).isEqualTo(1_000);
    assertThat(config.consistentReadsMaxMs()).isEqualTo(10_000);
    Properties driver = config.driverProperties();
    assertThat(driver.getProperty("socketTimeout")).isEqualTo("30");
    assertThat(driver.getProperty("ApplicationName")).isEqualTo("pangolin-catalog");
  }

  @Test
  void everyKeyMapsToItsSetting() {
    Map<String, String> props = new java.util.HashMap<>(MINIMAL);
    props.put("pangolin.catalog", "main");
    props.put("pangolin.schema.auto-migrate", "true");
    props.put("pangolin.pool.max-size", "7");
    props.put("pangolin.pool.min-idle", "2");
    props.put("pangolin.pool.connection-timeout-ms", "1500");
    props.put("pangolin.pool.idle-close-ms", "2500");
    props.put("pangolin.statement-timeout-s", "12");
    props.put("pangolin.metadata-cache.size", "0");
    props.put("pangolin.metadata-cache.max-bytes", "123456");
    props.put("pangolin.consistent-reads", "true");
    props.put("pangolin.consistent-reads.gap-ms", "250");
    props.put("pangolin.consistent-reads.max-ms", "4000");
    props.put("jdbc.user", "pangolin");
    props.put("jdbc.password", "s3cr3t-value");
    props.put("jdbc.socketTimeout", "99");
    PangolinConfig config = PangolinConfig.parse("lake", props);
    assertThat(config.catalog()).isEqualTo("main");
    assertThat(config.autoMigrate()).isTrue();
    assertThat(config.poolMaxSize()).isEqualTo(7);
    assertThat(config.poolMinIdle()).isEqualTo(2);
    assertThat(config.poolConnectionTimeoutMs()).isEqualTo(1500);
    assertThat(config.poolIdleCloseMs()).isEqualTo(2500);
    assertThat(config.statementTimeoutSeconds()).isEqualTo(12);
    assertThat(config.metadataCacheSize()).isZero();
    assertThat(config.metadataCacheMaxBytes()).isEqualTo(123456);
    assertThat(List.of(config.consistentReads(), config.consistentReadsGapMs(), config.consistentReadsMaxMs()))
        .containsExactly(true, 250L, 4000L);
    Properties driver = config.driverProperties();
    assertThat(driver.getProperty("user")).isEqualTo("pangolin");
    assertThat(driver.getProperty("password")).isEqualTo("s3cr3t-value");
    assertThat(driver.getProperty("socketTimeout")).as("the user's choice wins").isEqualTo("99");
    assertThat(config.toString()).contains("pangolin").doesNotContain("s3cr3t-value");
    PoolSettings pool = config.poolSettings();
    assertThat(pool.url()).isEqualTo(config.uri());
    assertThat(pool.driverProperties()).isEqualTo(driver);
    assertThat(List.of(pool.maxSize(), pool.minIdle(), pool.connectionTimeoutMs(), pool.idleCloseMs()))
        .containsExactly(7, 2, 1500L, 2500L);
  }

  @Test
  void aBurstMayNotBeShorterThanItsGap() {
    Map<String, String> props = new java.util.HashMap<>(MINIMAL);
    props.put("pangolin.consistent-reads.gap-ms", "5000");
    props.put("pangolin.consistent-reads.max-ms", "1000");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", props))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pangolin.consistent-reads.max-ms")
        .hasMessageContaining("pangolin.consistent-reads.gap-ms");
  }

  @Test
  void catalogsOfOneLoginShareAPoolWhoseSettingsPrintNoCredential() {
    Map<String, String> props = new java.util.HashMap<>(MINIMAL);
    props.put("uri", "jdbc:postgresql://db:5432/pangolin?password=in-the-url");
    props.put("jdbc.password", "s3cr3t-value");
    PoolSettings pool = PangolinConfig.parse("lake", props).poolSettings();
    assertThat(pool.toString()).contains("password").doesNotContain("s3cr3t-value").doesNotContain("in-the-url");

    props.put("pangolin.catalog", "another");
    props.put("pangolin.tenant", "another-tenant");
    assertThat(PangolinConfig.parse("lake", props).poolSettings()).isEqualTo(pool);
    props.put("jdbc.password", "other");
    assertThat(PangolinConfig.parse("lake", props).poolSettings()).isNotEqualTo(pool);
  }

  @Test
  void cacheSizesTakeBinarySuffixes() {
    Map<String, String> props = new java.util.HashMap<>(MINIMAL);
    for (Map.Entry<String, Long> size : Map.of("0", 0L, "512", 512L, "64k", 64L << 10, " 48M ", 48L << 20,
        "2g", 2L << 30).entrySet()) {
      props.put("pangolin.metadata-cache.max-bytes", size.getKey());
      assertThat(PangolinConfig.parse("lake", props).metadataCacheMaxBytes()).as(size.getKey())
          .isEqualTo(size.getValue());
    }
    for (String bad : List.of("", "lots", "-1", "32mb", "k", "99999999999999999g")) {
      props.put("pangolin.metadata-cache.max-bytes", bad);
      assertThatThrownBy(() -> PangolinConfig.parse("lake", props)).as(bad)
          .hasMessageContaining("'pangolin.metadata-cache.max-bytes'").hasMessageContaining("such as 32m");
    }
  }

  @Test
  void badValuesNameTheKeyAndTheFix() {
    assertThatThrownBy(() -> PangolinConfig.parse("lake", Map.of("pangolin.tenant", "acme")))
        .hasMessageContaining("Missing catalog property 'uri'");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", Map.of("uri", "jdbc:postgresql://db/p")))
        .hasMessageContaining("'pangolin.tenant'");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", Map.of("uri", "jdbc:mysql://db/p?password=hunter2",
            "pangolin.tenant", "acme")))
        .hasMessageContaining("jdbc:postgresql:").hasMessageNotContaining("hunter2");
    Map<String, String> bad = new java.util.HashMap<>(MINIMAL);
    bad.put("pangolin.pool.max-size", "many");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", bad))
        .hasMessageContaining("'pangolin.pool.max-size'").hasMessageContaining("whole number");
    bad.put("pangolin.pool.max-size", "0");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", bad)).hasMessageContaining("greater than 0");
    bad.remove("pangolin.pool.max-size");
    bad.put("pangolin.pool.idle-close-ms", "0");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", bad))
        .hasMessageContaining("'pangolin.pool.idle-close-ms'").hasMessageContaining("greater than 0");
    bad.remove("pangolin.pool.idle-close-ms");
    bad.put("pangolin.schema.auto-migrate", "yes");
    assertThatThrownBy(() -> PangolinConfig.parse("lake", bad)).hasMessageContaining("true or false");
  }

  @Test
  void redactionHidesEverySensitiveKey() {
    Map<String, String> shown = Redaction.properties(Map.of(
        "jdbc.password", "a", "s3.secret-access-key", "b", "s3.session-token", "c", "s3.access-key-id", "AKIA",
        "uri", "jdbc:postgresql://x/y"));
    assertThat(shown).containsEntry("jdbc.password", "***").containsEntry("s3.secret-access-key", "***")
        .containsEntry("s3.session-token", "***").containsEntry("uri", "jdbc:postgresql://x/y");
  }
}
