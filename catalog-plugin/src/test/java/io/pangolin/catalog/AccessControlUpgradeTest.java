package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.AclScene;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** A database made by the schema before access control migrates in place and keeps working for its login. */
class AccessControlUpgradeTest {

  private static final List<String> OLD_TABLES = List.of("tenants", "warehouses", "catalogs", "namespaces", "relations");

  @Test
  void aVersion3DatabaseMigratesInPlace() throws Exception {
    String url = TestCatalogs.databaseAtVersion("3");
    try (TestS3 s3 = TestS3.start("upgrade-key", "upgrade-secret")) {
      TestCatalogs.legacyS3Catalog(url, "acme", "lake", "main", s3, "upgrade");
      TableIdentifier id = TableIdentifier.of("sales", "orders");
      try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO pangolin.namespaces (catalog_id, levels) SELECT id, '{sales}' FROM pangolin.catalogs");
      }
      String before = AclScene.dump(url, OLD_TABLES);

      Flyway.configure(SchemaMigrator.class.getClassLoader())
          .dataSource(TestCatalogs.dataSource(url))
          .schemas(SchemaMigrator.SCHEMA)
          .table("schema_history")
          .locations("classpath:db/pangolin")
          .target("4")
          .load()
          .migrate();
      assertThat(new SchemaMigrator(TestCatalogs.dataSource(url)).currentVersion()).contains("4");

      assertThat(AclScene.dump(url, OLD_TABLES)).isEqualTo(before);
      // Later migrations add columns with defaults (V7: catalogs.drop_retention); the login keeps working.
      assertThat(new SchemaMigrator(TestCatalogs.dataSource(url)).migrate()).isEqualTo(SchemaMigrator.LATEST_VERSION);
      try (PangolinCatalog catalog = new PangolinCatalog()) {
        catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
        assertThat(catalog.listNamespaces()).containsExactly(Namespace.of("sales"));
        Table table = catalog.createTable(id, TestTables.SCHEMA);
        table.newAppend().appendFile(TestTables.dataFile(table, "after-upgrade")).commit();
        assertThat(catalog.loadTable(id).currentSnapshot()).isNotNull();
      }
    }
  }
}
