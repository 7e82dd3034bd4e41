package io.pangolin.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.delegation.ActingDataSource;
import io.pangolin.metastore.delegation.TokenStore;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.security.Keyring;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import io.pangolin.testing.TestPostgres;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.WarehouseConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A warehouse that signs through pangolin serve keeps its key where only pangolin serve's login reads it, and only
 * while it acts for a principal who sees a catalog of the warehouse: a principal reading the row, the private table
 * or the function sees nothing of the key, and neither does the endpoint acting for no one or for another tenant.
 */
class SigningKeysTest {

  private static final String KEY_ID = "AKIASIGNINGONLY00001";
  private static final String SECRET = "signing-secret-" + UUID.randomUUID();
  private static final Map<String, String> SIGNING =
      Map.of("storage-access", "remote-signing", "signer-uri", "https://pangolin.example:8181");
  private static final String PASSWORD = "pw-" + UUID.randomUUID();

  private static String url;
  private static String suffix;
  private static String etl;
  private static String stranger;
  private static String endpoint;
  private static long lakeId;

  @BeforeAll
  static void scene() throws SQLException {
    url = TestCatalogs.migratedDatabase();
    suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    TenantRegistry tenants = TestCatalogs.tenants(url);
    tenants.createTenant("acme");
    tenants.createTenant("globex");
    lakeId = tenants.createWarehouse(new NewWarehouse("acme", "lake", "s3://acme-lake-" + suffix + "/wh", List.of(),
        SIGNING, CredentialType.STATIC, KEY_ID, Secret.of(SECRET)));
    tenants.createCatalog("acme", "main", "lake", null, Map.of());
    tenants.createWarehouse(new NewWarehouse("globex", "vault", "s3://globex-vault-" + suffix + "/wh", List.of(),
        Map.of(), CredentialType.STATIC, "AKIAGLOBEX", Secret.of("globex-secret")));
    tenants.createCatalog("globex", "main", "vault", null, Map.of());
    etl = login("etl", "pangolin_principal");
    stranger = login("stranger", "pangolin_principal");
    endpoint = login("serve", "pangolin_endpoint");
    superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, '" + etl
        + "', 'READ' FROM pangolin.catalogs WHERE jdbc_name = 'acme_main'");
    superuser("INSERT INTO pangolin.grants (catalog_id, grantee, privilege) SELECT id, '" + stranger
        + "', 'READ' FROM pangolin.catalogs WHERE jdbc_name = 'globex_main'");
  }

  @Test
  void aPrincipalReadingTheWarehouseSeesNoKey() throws SQLException {
    try (Connection c = dataSource(etl).getConnection()) {
      assertThat(strings(c, "SELECT coalesce(access_key_id, 'NULL') || ' ' || coalesce(secret_access_key, 'NULL')"
          + " FROM pangolin.warehouses WHERE name = 'lake'")).containsExactly("NULL NULL");
      assertRefused(c, "SELECT * FROM pangolin_private.signing_keys", "permission denied");
      assertRefused(c, "SELECT * FROM pangolin.warehouse_signing_key(" + lakeId + ")",
          "permission denied for function");
    }
    WarehouseConfig seen = new TenantRegistry(Database.of(dataSource(etl)), keys()).loadWarehouse(lakeId);
    assertThat(seen.accessKeyId()).isNull();
    assertThat(seen.secretAccessKey()).isNull();
    // Not even the superuser finds it in the row: it is kept apart, sealed.
    assertThat(superuserStrings("SELECT coalesce(secret_access_key, 'NULL') FROM pangolin.warehouses"
        + " WHERE id = " + lakeId)).containsExactly("NULL");
    assertThat(superuserStrings("SELECT secret_access_key FROM pangolin_private.signing_keys WHERE warehouse_id = "
        + lakeId)).singleElement().asString().startsWith("pgl:").doesNotContain(SECRET);
  }

  @Test
  void theEndpointReadsTheKeyOnlyActingForAPrincipalWhoSeesACatalogOfTheWarehouse() throws SQLException {
    WarehouseConfig asEtl = new TenantRegistry(Database.of(acting(etl)), keys()).loadWarehouseWithSigningKey(lakeId);
    assertThat(asEtl.accessKeyId()).isEqualTo(KEY_ID);
    assertThat(asEtl.secretAccessKey().reveal()).isEqualTo(SECRET);

    assertThatThrownBy(() -> new TenantRegistry(Database.of(acting(stranger)), keys())
        .loadWarehouseWithSigningKey(lakeId))
        .hasMessageContaining("Warehouse " + lakeId + " does not exist");
    try (Connection c = acting(stranger).getConnection()) {
      assertRefused(c, "SELECT * FROM pangolin.warehouse_signing_key(" + lakeId + ")",
          "principal " + stranger + " sees no catalog of warehouse " + lakeId);
    }
    try (Connection alone = DriverManager.getConnection(url, endpoint, PASSWORD)) {
      assertRefused(alone, "SELECT * FROM pangolin.warehouse_signing_key(" + lakeId + ")",
          "acts only for an authenticated principal");
      assertRefused(alone, "SELECT * FROM pangolin_private.signing_keys", "permission denied");
    }
  }

  @Test
  void switchingStorageAccessMovesTheKeyOutOfTheRowAndBack() throws SQLException {
    TenantRegistry tenants = TestCatalogs.tenants(url);
    tenants.createWarehouse(new NewWarehouse("acme", "moving", "s3://acme-moving-" + suffix + "/wh", List.of(),
        Map.of(), CredentialType.STATIC, "AKIAMOVING", Secret.of("moving-secret")));
    String row = "SELECT coalesce(access_key_id, 'NULL') FROM pangolin.warehouses WHERE name = 'moving'";
    String apart = "SELECT count(*)::text FROM pangolin_private.signing_keys k JOIN pangolin.warehouses w"
        + " ON w.id = k.warehouse_id WHERE w.name = 'moving'";

    tenants.updateStorage("acme", "moving", new StorageUpdate(SIGNING, Set.of(), List.of(), List.of()));
    assertThat(superuserStrings(row)).containsExactly("NULL");
    assertThat(superuserStrings(apart)).containsExactly("1");
    tenants.setCredentials("acme", "moving", CredentialType.STATIC, "AKIAROTATED", Secret.of("rotated"));
    assertThat(superuserStrings(row)).containsExactly("NULL");

    tenants.updateStorage("acme", "moving",
        new StorageUpdate(Map.of("storage-access", "keys"), Set.of("signer-uri"), List.of(), List.of()));
    assertThat(superuserStrings(row)).containsExactly("AKIAROTATED");
    assertThat(superuserStrings(apart)).containsExactly("0");
    assertThat(tenants.warehouse("acme", "moving").secretAccessKey().reveal()).isEqualTo("rotated");

    assertThatThrownBy(() -> tenants.updateStorage("acme", "moving",
        new StorageUpdate(Map.of("storage-access", "remote-signing"), Set.of(), List.of(), List.of())))
        .hasMessageContaining("--setting signer-uri=");
    assertThatThrownBy(() -> tenants.createWarehouse(new NewWarehouse("acme", "nokey", "s3://acme-nokey-" + suffix
        + "/wh", List.of(), SIGNING, CredentialType.ENGINE_IDENTITY, null, null)))
        .hasMessageContaining("credential type 'engine-identity'");
  }

  private static Keyring keys() {
    return Keyring.master(Optional.of(SecretCipher.fromBase64(TestKeys.MASTER_KEY)));
  }

  private static String login(String name, String role) throws SQLException {
    String login = name + "_" + suffix;
    superuser("CREATE ROLE " + login + " LOGIN PASSWORD '" + PASSWORD + "' IN ROLE " + role);
    return login;
  }

  /** pangolin serve's login acting for {@code principal}, with a token that principal's own session minted. */
  private static DataSource acting(String principal) {
    String token = new TokenStore(Database.of(dataSource(principal))).issue(Duration.ofMinutes(5)).value();
    return new ActingDataSource(dataSource(endpoint), token);
  }

  private static PGSimpleDataSource dataSource(String login) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(url);
    ds.setUser(login);
    ds.setPassword(PASSWORD);
    return ds;
  }

  private static void superuser(String sql) throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static List<String> superuserStrings(String sql) throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection()) {
      return strings(c, sql);
    }
  }

  private static List<String> strings(Connection c, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  private static void assertRefused(Connection c, String sql, String message) {
    assertThatThrownBy(() -> strings(c, sql)).isInstanceOf(SQLException.class).hasMessageContaining(message);
  }
}
