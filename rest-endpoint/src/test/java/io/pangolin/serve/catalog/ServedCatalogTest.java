package io.pangolin.serve.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pangolin.serve.auth.Caller;
import io.pangolin.serve.auth.DatabaseAuthenticator;
import io.pangolin.serve.testing.ServeScene;
import io.pangolin.serve.vend.CredentialVendor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoint's backends without HTTP: a token minted by PostgreSQL, and Pangolin's catalog acting for it. */
class ServedCatalogTest {

  private static final Schema SCHEMA = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  private static ServeScene scene;
  private static DatabaseAuthenticator auth;
  private static PangolinCatalogAccess catalogs;

  @BeforeAll
  static void start() {
    scene = ServeScene.start();
    auth = new DatabaseAuthenticator(scene.url, scene.endpointPool(), Duration.ofMinutes(30), Clock.systemUTC());
    catalogs = new PangolinCatalogAccess(scene.url, scene.endpointPool(), scene.keys(), Map.of(),
        new StorageAccess(CredentialVendor.withUrlConnection(), scene.keys()));
  }

  @AfterAll
  static void stop() {
    scene.close();
  }

  @Test
  void aTokenActsAsItsPrincipalInThatPrincipalsCatalog() {
    String writer = scene.principal("writer", "READ", "WRITE", "CREATE", "DROP");
    Caller caller = auth.authenticate(auth.issue(writer, scene.password).token());
    assertThat(caller.principal()).isEqualTo(writer);
    assertThat(catalogs.prefixFor(caller, "acme/main")).isEqualTo(ServeScene.PREFIX);

    try (RequestCatalog catalog = catalogs.open(caller, ServeScene.PREFIX)) {
      catalog.namespaces().createNamespace(Namespace.of("served"));
      catalog.tables().createTable(TableIdentifier.of("served", "t1"), SCHEMA);
      assertThat(catalog.tables().loadTable(TableIdentifier.of("served", "t1")).location())
          .startsWith("s3://" + scene.bucket + "/warehouse/main/served/t1-");
    }
    scene.superuser("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pangolin.audit_log WHERE object_name LIKE '%t1%'"
        + " AND principal = '" + writer + "') THEN RAISE EXCEPTION 'no audit row by the principal'; END IF; END $$");
  }

  /** Trino 476 builds a new table's location from its namespace's and creates it unstaged without one. */
  @Test
  void aNamespaceReportsTheFolderItsTablesGoInUnlessItNamesALocationOfItsOwn() {
    String writer = scene.principal("locator", "READ", "WRITE", "CREATE");
    Caller caller = auth.authenticate(auth.issue(writer, scene.password).token());
    try (RequestCatalog catalog = catalogs.open(caller, ServeScene.PREFIX)) {
      catalog.namespaces().createNamespace(Namespace.of("located"));
      catalog.namespaces().createNamespace(Namespace.of("located", "a/b"), Map.of("owner", "ops"));
      catalog.namespaces().createNamespace(Namespace.of("own_place"), Map.of("location", "s3://elsewhere/x"));

      assertThat(catalog.namespaces().loadNamespaceMetadata(Namespace.of("located", "a/b")))
          .containsExactlyInAnyOrderEntriesOf(Map.of("owner", "ops", "location", "s3://" + scene.bucket + "/warehouse/main/located/a~2Fb"));
      assertThat(catalog.namespaces().loadNamespaceMetadata(Namespace.of("own_place")))
          .containsEntry("location", "s3://elsewhere/x");
      catalog.tables().createTable(TableIdentifier.of(Namespace.of("located", "a/b"), "t"), SCHEMA);
      assertThat(catalog.tables().loadTable(TableIdentifier.of(Namespace.of("located", "a/b"), "t")).location())
          .startsWith("s3://" + scene.bucket + "/warehouse/main/located/a~2Fb/t-");
    }
  }

  @Test
  void aPrincipalWithoutCreateIsRefusedByTheDatabase() {
    String reader = scene.principal("reader", "READ");
    Caller caller = auth.authenticate(auth.issue(reader, scene.password).token());
    try (RequestCatalog catalog = catalogs.open(caller, ServeScene.PREFIX)) {
      assertThatThrownBy(() -> catalog.namespaces().createNamespace(Namespace.of("not_mine")))
          .isInstanceOf(ForbiddenException.class).hasMessageContaining(reader).hasMessageContaining("CREATE");
    }
  }

  @Test
  void aWrongSecretAndAForgedTokenAreRefusedAlike() {
    String principal = scene.principal("someone", "READ");
    assertThatThrownBy(() -> auth.issue(principal, "wrong")).isInstanceOf(NotAuthorizedException.class)
        .hasMessageNotContaining("wrong");
    // The endpoint's own login with its right password: refused in the same words, so no answer confirms a password.
    String wrongSecret = catchThrowable(() -> auth.issue(principal, "wrong")).getMessage();
    assertThatThrownBy(() -> auth.issue(scene.endpointLogin, scene.password))
        .isInstanceOf(NotAuthorizedException.class).hasMessage(wrongSecret);
    assertThatThrownBy(() -> auth.authenticate("pgt_" + "0".repeat(64))).isInstanceOf(NotAuthorizedException.class);
  }

  @Test
  void aCatalogTheCallerCannotSeeIsNotFound() {
    String stranger = scene.principal("stranger");
    Caller caller = auth.authenticate(auth.issue(stranger, scene.password).token());
    assertThatThrownBy(() -> catalogs.open(caller, ServeScene.PREFIX)).isInstanceOf(NotFoundException.class)
        .hasMessage("No catalog 'acme_main' that " + stranger + " may use");
    assertThatThrownBy(() -> catalogs.open(caller, "nobody_has_this")).isInstanceOf(NotFoundException.class)
        .hasMessage("No catalog 'nobody_has_this' that " + stranger + " may use");
  }
}
