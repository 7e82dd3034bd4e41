package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.StorageResolver;
import io.pangolin.warehouse.WarehouseConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warehouse FileIO settings are taken from an allow list, and settings that carry secrets are sealed like the
 * credential secret: never on a command line, never in clear in the database, in output or in toString().
 */
class WarehouseSettingsCliTest {

  private static final String SSE_KEY = "sse-customer-key-never-shown";

  /** Each of these redirects the warehouse's traffic, its signing or its local writes. */
  private static final List<String> REDIRECTING = List.of("client.refresh-credentials-endpoint",
      "s3.remote-signing-enabled", "s3.signer.uri", "s3.access-points.lake-bucket", "http-client.proxy-endpoint",
      "s3.endpoint", "s3.acceleration-enabled", "s3.staging-dir", "s3.use-arn-region-enabled", "io-impl");

  private String url;
  private Map<String, String> env;
  private final StringBuilder allOutput = new StringBuilder();

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void setUp() {
    url = TestPostgres.get().newDatabase();
    env = TestCatalogs.adminEnvironment(url);
    env.put("SSE_KEY", SSE_KEY);
    assertThat(cli("schema", "migrate").exit()).isZero();
    assertThat(cli("tenant", "create", "acme").exit()).isZero();
  }

  @Test
  void redirectingFileIoKeysAreRefusedByTheCliAndTheApiAndNothingIsStored() {
    assertThat(createWarehouse("lake").exit()).isZero();
    List<String> before = warehouseRows();
    PangolinAdmin admin = admin();
    for (String key : REDIRECTING) {
      String setting = "fileio." + key;
      Run create = createWarehouse("redirected", "--setting", setting + "=http://attacker.example");
      assertThat(create.exit()).as(key).isEqualTo(PangolinCli.BAD_INPUT);
      assertThat(create.err()).contains("'" + setting + "'", "warehouse 'redirected'", "allow list");

      Run update = cli("warehouse", "update", "--tenant", "acme", "lake",
          "--setting", setting + "=http://attacker.example");
      assertThat(update.exit()).as(key).isEqualTo(PangolinCli.BAD_INPUT);
      assertThat(update.err()).contains("'" + setting + "'", "allow list");

      assertThatThrownBy(() -> admin.createWarehouse(new NewWarehouse("acme", "redirected", "s3://b/r", List.of(),
              Map.of(setting, "http://attacker.example"), CredentialType.ENGINE_IDENTITY, null, null)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + setting + "'");
      assertThatThrownBy(() -> admin.updateWarehouse("acme", "lake",
              settingsOnly(Map.of(setting, "http://attacker.example"))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + setting + "'");
      assertThat(warehouseRows()).as(key).isEqualTo(before);
    }
    assertThat(cli("warehouse", "update", "--tenant", "acme", "lake", "--setting", "fileio.s3.sse.type=s3",
        "--setting", "fileio.s3.write.tags.team=data").exit()).as("allowed keys still work").isZero();
  }

  @Test
  void aSecretSettingIsSealedMaskedAndReachesTheResolvedFileIo() throws Exception {
    Run onTheCommandLine = createWarehouse("lake", "--setting", "fileio.s3.sse.key=" + SSE_KEY);
    assertThat(onTheCommandLine.exit()).isEqualTo(PangolinCli.BAD_INPUT);
    assertThat(onTheCommandLine.err()).contains("'fileio.s3.sse.key' is a secret", "--secret-setting");
    assertThat(warehouseRows()).isEmpty();

    Run created = createWarehouse("lake", "--setting", "fileio.s3.sse.type=custom",
        "--secret-setting", "fileio.s3.sse.key=env:SSE_KEY");
    assertThat(created.exit()).as(created.err()).isZero();

    String stored = rawSetting("lake", "fileio.s3.sse.key");
    assertThat(stored).startsWith(SecretCipher.PREFIX);
    assertThat(warehouseRows()).noneMatch(row -> row.contains(SSE_KEY));

    Run show = cli("warehouse", "show", "--tenant", "acme", "lake");
    assertThat(show.out()).contains("fileio.s3.sse.type=custom", "fileio.s3.sse.key=***",
        "secret setting fileio.s3.sse.key: *** (stored encrypted)");
    WarehouseConfig config = admin().warehouse("acme", "lake");
    assertThat(config.toString()).doesNotContain(SSE_KEY).doesNotContain(stored);
    assertThat(new StorageResolver().resolve(config).fileIoProperties())
        .containsEntry("s3.sse.key", SSE_KEY).containsEntry("s3.sse.type", "custom");

    Path keyFile = Files.writeString(tmp.resolve("sse.key"), "rotated-" + SSE_KEY + "\n");
    Run fromFile = cli("warehouse", "update", "--tenant", "acme", "lake", "--setting", "fileio.s3.sse.type=custom",
        "--secret-setting", "fileio.s3.sse.key=file:" + keyFile);
    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(rawSetting("lake", "fileio.s3.sse.key")).startsWith(SecretCipher.PREFIX).isNotEqualTo(stored);
    assertThat(new StorageResolver().resolve(admin().warehouse("acme", "lake")).fileIoProperties())
        .containsEntry("s3.sse.key", "rotated-" + SSE_KEY);
    assertThat(allOutput.toString()).doesNotContain(SSE_KEY);
  }

  @Test
  void aSealedSettingOpensOnlyOnItsOwnWarehouseAndPlaintextFromBeforeIsSealedOnTheNextWrite() throws Exception {
    assertThat(createWarehouse("lake", "--secret-setting", "fileio.s3.sse.key=env:SSE_KEY").exit()).isZero();
    assertThat(createWarehouse("other").exit()).isZero();
    PangolinAdmin admin = admin();
    List<String> before = warehouseRows();
    String sealedForLake = rawSetting("lake", "fileio.s3.sse.key");
    assertThatThrownBy(() -> admin.updateWarehouse("acme", "other",
            settingsOnly(Map.of("fileio.s3.sse.key", sealedForLake))))
        .hasMessageContaining("cannot be decrypted");
    assertThat(warehouseRows()).isEqualTo(before);

    sql("UPDATE pangolin.warehouses SET settings = settings || jsonb_build_object('fileio.s3.sse.key', 'legacy-"
        + SSE_KEY + "') WHERE name = 'other'");
    Run show = cli("warehouse", "show", "--tenant", "acme", "other");
    assertThat(show.out()).contains("fileio.s3.sse.key=***", "stored in clear").doesNotContain(SSE_KEY);
    WarehouseConfig legacy = admin.warehouse("acme", "other");
    assertThat(new StorageResolver().resolve(legacy).fileIoProperties())
        .containsEntry("s3.sse.key", "legacy-" + SSE_KEY);

    admin.updateWarehouse("acme", "other", settingsOnly(legacy.settings()));
    assertThat(rawSetting("other", "fileio.s3.sse.key")).startsWith(SecretCipher.PREFIX);
    assertThat(new StorageResolver().resolve(admin.warehouse("acme", "other")).fileIoProperties())
        .containsEntry("s3.sse.key", "legacy-" + SSE_KEY);
    WarehouseConfig lake = admin.warehouse("acme", "lake");
    admin.updateWarehouse("acme", "lake", settingsOnly(lake.settings()));
    assertThat(rawSetting("lake", "fileio.s3.sse.key")).as("a sealed value written back stays as it is")
        .isEqualTo(sealedForLake);
    assertThat(allOutput.toString()).doesNotContain(SSE_KEY);
  }

  /** An update that sets these settings (added or replaced) and changes nothing else. */
  private static StorageUpdate settingsOnly(Map<String, String> settings) {
    return new StorageUpdate(settings, Set.of(), List.of(), List.of());
  }

  private Run createWarehouse(String name, String... extra) {
    List<String> args = new ArrayList<>(List.of("warehouse", "create", "--tenant", "acme", name, "--root",
        "s3://lake-bucket/" + name, "--credentials", "engine-identity"));
    args.addAll(List.of(extra));
    return cli(args.toArray(new String[0]));
  }

  private Run cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = PangolinCli.run(args, env, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    Run run = new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    allOutput.append(run.out()).append(run.err());
    return run;
  }

  private PangolinAdmin admin() {
    return new PangolinAdmin(TestCatalogs.dataSource(url),
        Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
  }

  private List<String> warehouseRows() {
    List<String> rows = new ArrayList<>();
    sql("SELECT w::text FROM pangolin.warehouses w ORDER BY w.id", rs -> rows.add(rs.getString(1)));
    return rows;
  }

  private String rawSetting(String warehouse, String key) {
    List<String> values = new ArrayList<>();
    sql("SELECT settings ->> '" + key + "' FROM pangolin.warehouses WHERE name = '" + warehouse + "'",
        rs -> values.add(rs.getString(1)));
    return values.get(0);
  }

  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  private void sql(String statement) {
    sql(statement, null);
  }

  private void sql(String statement, RowReader reader) {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection(); Statement stmt = conn.createStatement()) {
      if (reader == null) {
        stmt.executeUpdate(statement);
        return;
      }
      try (ResultSet rs = stmt.executeQuery(statement)) {
        while (rs.next()) {
          reader.read(rs);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
