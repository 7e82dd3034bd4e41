package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pangolin.testing.CatalogRows;
import io.pangolin.testing.JdbcLayoutClients;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.S3Lake;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pangolin's namespaces ["a.b"] and ["a","b"] both read as "a.b" through the JDBC-catalog layout. A write through
 * the layout to such a name is refused with an error naming catalog, namespace and object, and changes no row and
 * no object in the bucket; writes to names that read as exactly one object still work.
 */
class JdbcLayoutAmbiguousNamesTest {

  private static final String BUCKET = "ambiguous";
  private static final Namespace DOTTED = Namespace.of("a.b");
  private static final Namespace NESTED = Namespace.of("a", "b");
  private static final TableIdentifier JDBC_T = TableIdentifier.of(NESTED, "t");

  @RegisterExtension
  static final S3Lake LAKE = new S3Lake("ambiguous-key", "ambiguous-secret", BUCKET);

  private String url;
  private PangolinCatalog pangolin;
  private JdbcCatalog jdbc;

  @BeforeEach
  void setUp() {
    url = LAKE.newCatalog();
    pangolin = new PangolinCatalog();
    pangolin.initialize("main", TestCatalogs.properties(url, "acme", "main"));
    pangolin.createNamespace(DOTTED, Map.of("owner", "dotted"));
    pangolin.createNamespace(Namespace.of("a"));
    pangolin.createNamespace(NESTED, Map.of("owner", "nested"));
    pangolin.createTable(TableIdentifier.of(DOTTED, "t"), TestTables.SCHEMA);
    pangolin.createTable(TableIdentifier.of(NESTED, "t"), TestTables.SCHEMA);
    jdbc = JdbcLayoutClients.jdbcCatalog(url, "acme_main", LAKE.s3(), BUCKET);
  }

  @AfterEach
  void tearDown() throws Exception {
    pangolin.close();
    jdbc.close();
  }

  @Test
  void aDropOfAnAmbiguousNameIsRefusedAndDropsNothing() {
    assertRefusedChangingNothing(() -> jdbc.dropTable(JDBC_T, false), "table \"t\" in namespace \"a.b\"");
  }

  @Test
  void aRenameOfAnAmbiguousNameIsRefusedAndMovesNothing() {
    assertRefusedChangingNothing(() -> jdbc.renameTable(JDBC_T, TableIdentifier.of(NESTED, "t2")),
        "table \"t\" in namespace \"a.b\"");
  }

  @Test
  void aRenameOntoAnAmbiguousNameIsRefused() {
    pangolin.createNamespace(Namespace.of("plain"));
    pangolin.createTable(TableIdentifier.of("plain", "u"), TestTables.SCHEMA);
    pangolin.createTable(TableIdentifier.of(DOTTED, "u"), TestTables.SCHEMA);
    // Iceberg's JdbcCatalog itself refuses this (it sees a.b.u in the listing), so the statement is sent raw.
    assertRefusedChangingNothing(() -> execute("UPDATE pangolin_jdbc.iceberg_tables SET table_namespace = 'a.b'"
        + " WHERE catalog_name = 'acme_main' AND table_namespace = 'plain' AND table_name = 'u'"),
        "table \"u\" in namespace \"a.b\"");
  }

  @Test
  void aCommitToAnAmbiguousNameIsRefusedAndMovesNoPointer() {
    Table viaJdbc = jdbc.loadTable(JDBC_T);
    assertRefusedMovingNoPointer(() -> viaJdbc.updateProperties().set("k", "v").commit(),
        "table \"t\" in namespace \"a.b\"");
  }

  @Test
  void aCommitToATableInANamespaceWithADotInALevelIsRefused() {
    pangolin.createTable(TableIdentifier.of(DOTTED, "only"), TestTables.SCHEMA);
    Table viaJdbc = jdbc.loadTable(TableIdentifier.of(NESTED, "only"));
    assertRefusedMovingNoPointer(() -> viaJdbc.updateProperties().set("k", "v").commit(),
        "table \"only\" in namespace \"a.b\"");
  }

  @Test
  void aRawDeleteMatchingTwoRowsIsRefusedOnTheFirst() {
    assertRefusedChangingNothing(() -> execute("DELETE FROM pangolin_jdbc.iceberg_tables"
        + " WHERE catalog_name = 'acme_main' AND table_namespace = 'a.b' AND table_name = 't'"),
        "table \"t\" in namespace \"a.b\"");
  }

  @Test
  void namespaceWritesToAnAmbiguousNamespaceAreRefused() {
    assertRefusedChangingNothing(() -> jdbc.setProperties(NESTED, Map.of("owner", "x")), "namespace \"a.b\"");
    assertRefusedChangingNothing(() -> execute("DELETE FROM pangolin_jdbc.iceberg_namespace_properties"
        + " WHERE catalog_name = 'acme_main' AND namespace = 'a.b'"), "namespace \"a.b\"");
  }

  @Test
  void readersSeeEveryTableBehindAnAmbiguousNameAndOneNamespaceWithoutProperties() throws SQLException {
    assertThat(query("SELECT table_namespace || '/' || table_name FROM pangolin_jdbc.iceberg_tables"
        + " WHERE catalog_name = 'acme_main'")).containsExactly("a.b/t", "a.b/t");
    assertThat(jdbc.namespaceExists(NESTED)).isTrue();
    assertThat(jdbc.loadNamespaceMetadata(NESTED)).doesNotContainKey("owner");
  }

  @Test
  void namesThatReadAsOneObjectStillWork() {
    Namespace sales = Namespace.of("sales", "eu");
    pangolin.createNamespace(Namespace.of("sales"));
    pangolin.createNamespace(sales, Map.of("owner", "finance"));
    pangolin.createTable(TableIdentifier.of(sales, "orders"), TestTables.SCHEMA);
    pangolin.createTable(TableIdentifier.of(sales, "gone"), TestTables.SCHEMA);

    Table viaJdbc = jdbc.loadTable(TableIdentifier.of(sales, "orders"));
    viaJdbc.newAppend().appendFile(TestTables.dataFile(viaJdbc, "jdbc")).commit();
    assertThat(pangolin.loadTable(TableIdentifier.of(sales, "orders")).currentSnapshot().snapshotId())
        .isEqualTo(viaJdbc.currentSnapshot().snapshotId());
    jdbc.renameTable(TableIdentifier.of(sales, "orders"), TableIdentifier.of(sales, "orders2"));
    assertThat(jdbc.dropTable(TableIdentifier.of(sales, "gone"), false)).isTrue();
    jdbc.setProperties(sales, Map.of("owner", "sales"));

    assertThat(pangolin.listTables(sales)).containsExactly(TableIdentifier.of(sales, "orders2"));
    assertThat(pangolin.loadNamespaceMetadata(sales)).containsEntry("owner", "sales");
    assertThat(pangolin.tableExists(JDBC_T)).isTrue();
    assertThat(pangolin.tableExists(TableIdentifier.of(DOTTED, "t"))).isTrue();
  }

  private void assertRefusedChangingNothing(ThrowingCallable call, String object) {
    List<String> keys = LAKE.s3().keys(BUCKET, "");
    assertRefusedMovingNoPointer(call, object);
    assertThat(LAKE.s3().keys(BUCKET, "")).isEqualTo(keys);
  }

  /**
   * As {@link #assertRefusedChangingNothing}, for a commit: Iceberg's JdbcCatalog writes its new metadata.json
   * before it sends the pointer update and keeps it when the update fails, so the bucket may gain that one file
   * (which nothing points to) but loses nothing.
   */
  private void assertRefusedMovingNoPointer(ThrowingCallable call, String object) {
    List<String> rows = CatalogRows.dump(url);
    List<String> keys = LAKE.s3().keys(BUCKET, "");
    Throwable thrown = catchThrowable(call);
    SQLException refusal = Stream.iterate(thrown, t -> t != null, Throwable::getCause)
        .filter(SQLException.class::isInstance).map(SQLException.class::cast).findFirst()
        .orElseThrow(() -> new AssertionError("Expected the database's refusal, got " + thrown, thrown));
    assertThat(refusal.getSQLState()).isEqualTo("21000");
    assertThat(refusal.getMessage())
        .contains("Ambiguous name: " + object)
        .contains("catalog \"acme_main\"")
        .contains("nothing was changed")
        .contains("Hint: Use the Pangolin catalog (catalog-impl=io.pangolin.catalog.PangolinCatalog)");
    assertThat(CatalogRows.dump(url)).isEqualTo(rows);
    List<String> after = LAKE.s3().keys(BUCKET, "");
    assertThat(after).containsAll(keys);
    assertThat(after.stream().filter(key -> !keys.contains(key))).allMatch(key -> key.endsWith(".metadata.json"));
  }

  private void execute(String sql) throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement stmt = conn.prepareStatement(sql)) {
      stmt.executeUpdate();
    }
  }

  private List<String> query(String sql) throws SQLException {
    try (Connection conn = TestCatalogs.dataSource(url).getConnection();
        PreparedStatement stmt = conn.prepareStatement(sql);
        ResultSet rs = stmt.executeQuery()) {
      List<String> values = new ArrayList<>();
      while (rs.next()) {
        values.add(rs.getString(1));
      }
      return values;
    }
  }
}
