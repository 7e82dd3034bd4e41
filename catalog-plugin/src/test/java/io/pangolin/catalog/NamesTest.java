package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Namespace and table names may hold any character Iceberg allows, including those Iceberg's JDBC catalog
 * trips over ('.', '%', '_', quotes) and non-ASCII text; and names alike but for such characters stay apart.
 */
class NamesTest {

  private static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("names-key", "names-secret");
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void unusualNamesWorkAndStayApart() {
    String url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, "names", List.of());
    try (PangolinCatalog catalog = new PangolinCatalog()) {
      catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
      Namespace odd = Namespace.of("sales.eu", "50%_off", "Zürich \"quoted\" 'x'");
      catalog.createNamespace(Namespace.of("sales.eu"));
      catalog.createNamespace(Namespace.of("sales.eu", "50%_off"));
      catalog.createNamespace(odd, Map.of("ключ", "значение"));
      catalog.createNamespace(Namespace.of("sales"));
      catalog.createNamespace(Namespace.of("sales", "eu"));
      catalog.createNamespace(Namespace.of("50x_off"));

      assertThat(catalog.listNamespaces(Namespace.of("sales.eu"))).containsExactly(Namespace.of("sales.eu", "50%_off"));
      assertThat(catalog.listNamespaces(Namespace.of("sales"))).containsExactly(Namespace.of("sales", "eu"));
      assertThat(catalog.loadNamespaceMetadata(odd)).containsEntry("ключ", "значение");

      TableIdentifier table = TableIdentifier.of(odd, "t_1%'\"ü.x");
      TableIdentifier lookalike = TableIdentifier.of(odd, "tx1%'\"ü.x");
      Table created = catalog.createTable(table, TestTables.SCHEMA);
      catalog.createTable(lookalike, TestTables.SCHEMA);
      created.newAppend().appendFile(TestTables.dataFile(created, "odd")).commit();

      assertThat(catalog.listTables(odd)).containsExactlyInAnyOrder(table, lookalike);
      assertThat(catalog.listTables(Namespace.of("sales", "eu"))).isEmpty();
      assertThat(TestTables.currentFiles(catalog.loadTable(table))).hasSize(1);
      assertThat(TestTables.currentFiles(catalog.loadTable(lookalike))).isEmpty();
      assertThat(created.location()).as("escaped, one directory per level").contains("/50~25_off/");

      TableIdentifier renamed = TableIdentifier.of(Namespace.of("sales", "eu"), "t_1%'\"ü.x");
      catalog.renameTable(table, renamed);
      assertThat(catalog.listTables(Namespace.of("sales", "eu"))).containsExactly(renamed);
      assertThat(catalog.dropTable(renamed, true)).isTrue();
      assertThat(catalog.tableExists(lookalike)).isTrue();
    }
  }
}
