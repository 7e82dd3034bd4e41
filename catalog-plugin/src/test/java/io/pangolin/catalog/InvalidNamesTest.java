package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.CatalogRows;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestS3;
import io.pangolin.testing.TestTables;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Names PostgreSQL cannot hold or Pangolin cannot tell apart (an empty namespace level, the NUL character) are
 * refused before any SQL runs, with an error naming the object and the rule, and change no row.
 */
class InvalidNamesTest {

  private static final String BUCKET = "invalid-names";
  private static final Namespace ACC = Namespace.of("acc_17");
  private static final Namespace EMPTY_TOP = Namespace.of("");
  private static final Namespace EMPTY_NESTED = Namespace.of("acc_17", "");
  private static final String EMPTY_LEVEL = "a level must not be empty";
  private static final String NUL = "must not contain the NUL character (\\u0000)";
  private static TestS3 s3;
  private static String url;

  private PangolinCatalog catalog;

  @BeforeAll
  static void start() {
    s3 = TestS3.start("names-key", "names-secret");
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, BUCKET, List.of());
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @BeforeEach
  void open() {
    catalog = new PangolinCatalog();
    catalog.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    if (!catalog.namespaceExists(ACC)) {
      catalog.createNamespace(ACC, Map.of("owner", "acc"));
      catalog.createTable(TableIdentifier.of(ACC, "t"), TestTables.SCHEMA);
    }
  }

  @AfterEach
  void close() {
    catalog.close();
  }

  @Test
  void anEmptyNamespaceLevelIsRefusedAtEveryNamespaceEntryPoint() {
    for (Namespace bad : List.of(EMPTY_TOP, EMPTY_NESTED)) {
      String named = "Invalid namespace " + (bad.length() == 1 ? "[\"\"]" : "[acc_17, \"\"]") + ": " + EMPTY_LEVEL;
      assertRefused(() -> catalog.createNamespace(bad), named);
      assertRefused(() -> catalog.createNamespace(bad, Map.of("k", "v")), named);
      assertRefused(() -> catalog.loadNamespaceMetadata(bad), named);
      assertRefused(() -> catalog.listNamespaces(bad), named);
      assertRefused(() -> catalog.dropNamespace(bad), named);
      assertRefused(() -> catalog.setProperties(bad, Map.of("k", "v")), named);
      assertRefused(() -> catalog.removeProperties(bad, Set.of("k")), named);
      assertRefused(() -> catalog.listTables(bad), named);
      assertRefused(() -> catalog.listViews(bad), named);
    }
  }

  /** The database's bounds are said before any SQL, and a long name is shown cut, never echoed whole. */
  @Test
  void namesBeyondTheDatabasesBoundsAreRefusedNamingTheBound() {
    Namespace deep = Namespace.of(java.util.stream.IntStream.rangeClosed(1, 17).mapToObj(i -> "l" + i)
        .toArray(String[]::new));
    assertRefused(() -> catalog.createNamespace(deep), "Invalid namespace [" + String.join(", ", deep.levels())
        + "]: it has 17 levels; a namespace has at most 16");
    String huge = "x".repeat(100_000);
    String cut = "x".repeat(199) + "... (100002 characters)";
    assertRefused(() -> catalog.createNamespace(Namespace.of(huge)),
        "Invalid namespace [" + cut + ": a level has at most 255 characters");
    assertRefused(() -> catalog.createTable(TableIdentifier.of(ACC, huge), TestTables.SCHEMA),
        "Invalid table name \"" + "x".repeat(200) + "... (100000 characters)\" in namespace [acc_17]: a name has at"
            + " most 255 characters");
    // 255 characters outside the BMP are 255 characters, as PostgreSQL counts them.
    catalog.createNamespace(Namespace.of("\uD83D\uDE00".repeat(255)));
  }

  @Test
  void anEmptyNamespaceLevelIsRefusedForTablesAndViews() {
    TableIdentifier bad = TableIdentifier.of(EMPTY_NESTED, "t");
    TableIdentifier good = TableIdentifier.of(ACC, "t");
    String named = "Invalid namespace [acc_17, \"\"]: " + EMPTY_LEVEL;
    assertRefused(() -> catalog.createTable(bad, TestTables.SCHEMA), named);
    assertRefused(() -> catalog.loadTable(bad), named);
    assertRefused(() -> catalog.dropTable(bad, true), named);
    assertRefused(() -> catalog.renameTable(good, bad), named);
    assertRefused(() -> catalog.renameTable(bad, good), named);
    assertRefused(() -> catalog.registerTable(bad, "s3://" + BUCKET + "/x.metadata.json"), named);
    assertRefused(() -> newView(bad), named);
    assertRefused(() -> catalog.loadView(bad), named);
    assertRefused(() -> catalog.dropView(bad), named);
    assertRefused(() -> catalog.renameView(bad, TableIdentifier.of(ACC, "v")), named);
  }

  @Test
  void aNulCharacterInATableOrViewNameIsRefused() {
    TableIdentifier table = TableIdentifier.of(ACC, "t\u0000x");
    String named = "Invalid table name \"t\\u0000x\" in namespace [acc_17]: a name " + NUL;
    assertRefused(() -> catalog.createTable(table, TestTables.SCHEMA), named);
    assertRefused(() -> catalog.loadTable(table), named);
    assertRefused(() -> catalog.dropTable(table, false), named);
    assertRefused(() -> catalog.renameTable(TableIdentifier.of(ACC, "t"), table), named);
    assertRefused(() -> catalog.registerTable(table, "s3://" + BUCKET + "/x.metadata.json"), named);

    TableIdentifier view = TableIdentifier.of(ACC, "v\u0000");
    String viewNamed = "Invalid view name \"v\\u0000\" in namespace [acc_17]: a name " + NUL;
    assertRefused(() -> newView(view), viewNamed);
    assertRefused(() -> catalog.loadView(view), viewNamed);
    assertRefused(() -> catalog.dropView(view), viewNamed);
  }

  @Test
  void aNulCharacterInANamespacePropertyIsRefused() {
    assertRefused(() -> catalog.createNamespace(Namespace.of("fresh"), Map.of("k\u0000", "v")),
        "Invalid property key \"k\\u0000\" of namespace [fresh]: a property key " + NUL);
    assertRefused(() -> catalog.createNamespace(Namespace.of("fresh"), Map.of("k", "v\u0000")),
        "Invalid value of property \"k\" of namespace [fresh]: a property value " + NUL);
    assertRefused(() -> catalog.setProperties(ACC, Map.of("owner", "x\u0000")),
        "Invalid value of property \"owner\" of namespace [acc_17]: a property value " + NUL);
    assertRefused(() -> catalog.removeProperties(ACC, Set.of("owner\u0000")),
        "Invalid property key \"owner\\u0000\" of namespace [acc_17]: a property key " + NUL);
    assertThat(catalog.namespaceExists(Namespace.of("fresh"))).isFalse();
    assertThat(catalog.loadNamespaceMetadata(ACC)).containsEntry("owner", "acc");
  }

  private void newView(TableIdentifier id) {
    catalog.buildView(id)
        .withSchema(new Schema(Types.NestedField.required(1, "x", Types.LongType.get())))
        .withDefaultNamespace(ACC)
        .withQuery("spark", "SELECT 1 AS x")
        .create();
  }

  private static void assertRefused(ThrowingCallable call, String message) {
    List<String> rows = CatalogRows.dump(url);
    List<String> keys = s3.keys(BUCKET, "");
    assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    assertThat(CatalogRows.dump(url)).isEqualTo(rows);
    assertThat(s3.keys(BUCKET, "")).isEqualTo(keys);
  }
}
