package io.pangolin.spark;

import static io.pangolin.spark.SparkSql.column;
import static io.pangolin.spark.SparkSql.row;
import static io.pangolin.spark.SparkSql.rows;
import static io.pangolin.spark.SparkSql.sql;
import static io.pangolin.spark.SparkSql.tables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestKeys;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.spark.sql.AnalysisException;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spark with the Pangolin catalog logged in as a principal (AclScene: tenant acme's reader holds READ on namespace
 * sales only). What it may do and see is decided by PostgreSQL for that login, whatever the Spark session is told:
 * it reads its namespace, every write is refused with Iceberg's ForbiddenException naming privilege, principal and
 * object, and no setting of the session (the tenant or catalog of its own Spark catalog, or a new Spark catalog
 * with tenant globex's names) reaches globex's data.
 */
class AccessControlSparkIT {

  private static AclScene scene;

  @BeforeAll
  static void scene() throws Exception {
    scene = new AclScene(SparkTestEnv.get().lakeS3());
    // A second catalog of globex, so that the reader can also name a catalog that exists only in the other tenant.
    TestCatalogs.s3Catalog(scene.url, "globex", "vault_warehouse", "vault", SparkTestEnv.get().lakeS3(),
        "acl-globex-vault", List.of());
    register("acl_admin_a", scene.adminA, "acme", "main");
    register("acl_admin_b", scene.adminB, "globex", "main");
    register("acl_admin_b_vault", scene.adminB, "globex", "vault");
    register("acl_reader", scene.reader, "acme", "main");
    sql("INSERT INTO acl_admin_a.sales.orders VALUES (1, 'first'), (2, 'second')");
    sql("INSERT INTO acl_admin_b.ops.events VALUES (7, 'globex only')");
    sql("CREATE NAMESPACE acl_admin_b_vault.secrets");
    sql("CREATE TABLE acl_admin_b_vault.secrets.keys (id BIGINT, data STRING) USING iceberg");
    sql("INSERT INTO acl_admin_b_vault.secrets.keys VALUES (8, 'globex vault')");
    // Opened before any test changes its settings.
    sql("SHOW NAMESPACES IN acl_reader");
  }

  @AfterAll
  static void dropRoles() throws Exception {
    if (scene != null) {
      scene.close();
    }
  }

  @Test
  void theReaderReadsItsNamespaceWhatTheAdministratorWrote() {
    assertThat(column("SHOW NAMESPACES IN acl_reader")).containsExactly("sales");
    assertThat(tables("acl_reader.sales")).containsExactlyInAnyOrder("orders", "returns");
    assertThat(rows("SELECT id, data FROM acl_reader.sales.orders ORDER BY id"))
        .containsExactly(row(1L, "first"), row(2L, "second"));
    assertThatThrownBy(() -> sql("SELECT * FROM acl_reader.hr.staff")).isInstanceOf(AnalysisException.class);
  }

  @Test
  void theReadersWritesAreRefusedNamingPrivilegePrincipalAndObject() throws Exception {
    String before = scene.dump();

    assertThatThrownBy(() -> sql("INSERT INTO acl_reader.sales.orders VALUES (3, 'refused')"))
        .satisfies(forbidden("WRITE", "sales.orders"));
    assertThatThrownBy(() -> sql("CREATE TABLE acl_reader.sales.by_reader (id BIGINT) USING iceberg"))
        .satisfies(forbidden("CREATE", "sales.by_reader"));

    assertThat(scene.dump()).isEqualTo(before);
    assertThat(rows("SELECT id FROM acl_admin_a.sales.orders ORDER BY id")).containsExactly(row(1L), row(2L));
  }

  @Test
  void theReaderSeesNothingOfTheOtherTenant() {
    assertThat(column("SHOW NAMESPACES IN acl_reader")).doesNotContain("ops");
    assertThatThrownBy(() -> tables("acl_reader.ops")).hasStackTraceContaining("Namespace does not exist: ops");
    assertThatThrownBy(() -> sql("SELECT * FROM acl_reader.ops.events")).isInstanceOf(AnalysisException.class);
  }

  /**
   * The session cannot move the reader's login into globex: the catalog Spark has opened keeps the tenant it opened
   * with (Spark never opens a catalog again), and a catalog the session configures, or reconfigures before its
   * first use, with globex's tenant or catalog fails to open, saying it is unknown or denied; nothing is listed or
   * returned.
   */
  @Test
  void noSessionSettingReachesTheOtherTenant() {
    String tenantOf = "spark.sql.catalog.acl_reader.pangolin.tenant";
    sql("SET " + tenantOf + "=globex");
    try {
      assertThatThrownBy(() -> sql("SELECT * FROM acl_reader.ops.events"))
          .isInstanceOf(AnalysisException.class)
          .hasMessageContaining("TABLE_OR_VIEW_NOT_FOUND");
      assertThat(rows("SELECT id FROM acl_reader.sales.orders ORDER BY id")).containsExactly(row(1L), row(2L));
    } finally {
      sql("SET " + tenantOf + "=acme");
    }

    register("acl_reader_globex", scene.reader, "globex", "main");
    assertThatThrownBy(() -> sql("SELECT * FROM acl_reader_globex.ops.events"))
        .satisfies(unknownOrDenied("Unknown Pangolin tenant 'globex', or permission denied"));

    register("acl_reader_moved", scene.reader, "acme", "main");
    sql("SET spark.sql.catalog.acl_reader_moved.pangolin.tenant=globex");
    assertThatThrownBy(() -> column("SHOW NAMESPACES IN acl_reader_moved"))
        .satisfies(unknownOrDenied("Unknown Pangolin tenant 'globex', or permission denied"));

    register("acl_reader_vault", scene.reader, "acme", "main");
    sql("SET spark.sql.catalog.acl_reader_vault.pangolin.catalog=vault");
    assertThatThrownBy(() -> sql("SELECT * FROM acl_reader_vault.secrets.keys"))
        .satisfies(unknownOrDenied("Unknown Pangolin catalog 'vault' in tenant 'acme', or permission denied"));
  }

  /** Adds a Spark catalog over Pangolin catalog {@code catalog} of {@code tenant}, logged in as {@code login}. */
  private static void register(String sparkName, String login, String tenant, String catalog) {
    Map<String, String> conf = SparkConfs.pangolinCatalog(sparkName, scene.url, login, scene.password(), tenant,
        TestKeys.masterKeyFile());
    conf.put("spark.sql.catalog." + sparkName + ".pangolin.catalog", catalog);
    conf.forEach((k, v) -> SparkTestEnv.get().spark().conf().set(k, v));
  }

  /**
   * The ForbiddenException that reached Spark's caller names the reader, the privilege and the object; nothing
   * Spark shows of it (its message, its causes) names the database functions the refusal passed through.
   */
  private static ThrowingConsumer<Throwable> forbidden(String privilege, String object) {
    return thrown -> {
      assertThat(cause(thrown, ForbiddenException.class))
          .as("ForbiddenException in the causes of %s", thrown)
          .isNotNull()
          .hasMessageContaining("principal '" + scene.reader + "'")
          .hasMessageContaining("needs the " + privilege + " privilege")
          .hasMessageContaining(object);
      StringBuilder causes = new StringBuilder();
      for (Throwable t = thrown; t != null; t = t.getCause()) {
        causes.append(t).append('\n');
      }
      assertThat(causes.toString()).doesNotContain("PL/pgSQL").doesNotContain("Where:");
    };
  }

  private static ThrowingConsumer<Throwable> unknownOrDenied(String refusal) {
    return thrown -> assertThat(thrown)
        .hasStackTraceContaining(refusal)
        .hasStackTraceContaining("principal '" + scene.reader + "' holds no privilege");
  }

  private static <T extends Throwable> T cause(Throwable thrown, Class<T> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
