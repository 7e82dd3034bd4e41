package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.testing.JdbcLayoutClients;
import io.pangolin.testing.TestTables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.junit.jupiter.api.Test;

/**
 * The plugin and Iceberg's JdbcCatalog, each connected as a principal, get exactly the rights the database gives
 * that login, and every change they make is in the audit trail under that principal.
 */
class AccessControlCatalogTest extends AclSceneTest {

  private static final TableIdentifier ORDERS = TableIdentifier.of("sales", "orders");

  @Test
  void aReaderReadsItsNamespaceAndIsRefusedACommit() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.reader)) {
      assertThat(catalog.listNamespaces()).containsExactly(Namespace.of("sales"));
      assertThat(catalog.listTables(Namespace.of("sales")))
          .containsExactlyInAnyOrder(ORDERS, TableIdentifier.of("sales", "returns"));
      Table orders = catalog.loadTable(ORDERS);
      assertThat(catalog.tableExists(TableIdentifier.of("hr", "staff"))).isFalse();

      String before = scene.dump();
      assertThatThrownBy(() -> orders.newAppend().appendFile(TestTables.dataFile(orders, "refused")).commit())
          .isInstanceOf(ForbiddenException.class)
          .hasMessageContaining("principal '" + scene.reader + "'")
          .hasMessageContaining("WRITE")
          .hasMessageContaining("sales.orders")
          // What the user reads is the refusal, not the functions it passed through: not in the message, nor in
          // any cause a printed stack trace shows.
          .hasMessageNotContaining("PL/pgSQL")
          .hasMessageNotContaining("Where:")
          .satisfies(e -> assertThat(causes(e)).doesNotContain("PL/pgSQL").doesNotContain("Where:"));
      assertThat(scene.dump()).isEqualTo(before);
    }
    for (String tenant : List.of("globex")) {
      assertThatThrownBy(() -> scene.openAs(tenant, scene.reader))
          .hasMessageContaining("permission denied")
          .hasMessageContaining(scene.reader);
    }
  }

  @Test
  void aWriterCommitsAndTheAuditRowNamesIt() throws Exception {
    try (PangolinCatalog catalog = scene.openAs("acme", scene.writer)) {
      Table orders = catalog.loadTable(ORDERS);
      String old = location(orders);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "landed")).commit();
      String next = location(catalog.loadTable(ORDERS));
      assertThat(auditOf("sales.orders")).containsExactly(
          "INSERT by postgres: null -> " + old,
          "COMMIT by " + scene.writer + ": " + old + " -> " + next);
    }
  }

  @Test
  void jdbcCatalogAsAReaderCannotCommitAndAsAWriterCan() throws Exception {
    String before = scene.dump();
    List<String> auditBefore = auditOf("sales.orders");
    try (JdbcCatalog asReader = JdbcLayoutClients.jdbcCatalog(scene.url, "acme_main", s3, "acl-acme", scene.reader,
        scene.password())) {
      Table orders = asReader.loadTable(ORDERS);
      assertThatThrownBy(() -> orders.newAppend().appendFile(TestTables.dataFile(orders, "refused")).commit())
          .hasStackTraceContaining("permission denied: principal " + scene.reader + " lacks WRITE on table sales.orders");
    }
    assertThat(scene.dump()).isEqualTo(before);
    assertThat(auditOf("sales.orders")).as("no audit row for the refused commit").isEqualTo(auditBefore);

    try (JdbcCatalog asWriter = JdbcLayoutClients.jdbcCatalog(scene.url, "acme_main", s3, "acl-acme", scene.writer,
        scene.password())) {
      Table orders = asWriter.loadTable(ORDERS);
      String old = location(orders);
      orders.newAppend().appendFile(TestTables.dataFile(orders, "landed")).commit();
      assertThat(auditOf("sales.orders")).last()
          .isEqualTo("COMMIT by " + scene.writer + ": " + old + " -> " + location(asWriter.loadTable(ORDERS)));
    }
  }

  @Test
  void aConflictingCommitLeavesNoAuditRow() throws Exception {
    List<String> before = auditOf("sales.orders");
    try (Connection c = scene.connect(scene.writer);
        PreparedStatement s = c.prepareStatement("UPDATE pangolin_jdbc.iceberg_tables SET metadata_location = ?"
            + " WHERE table_namespace = 'sales' AND table_name = 'orders' AND metadata_location = ?")) {
      s.setString(1, "s3://acl-acme/warehouse/next.metadata.json");
      s.setString(2, "s3://acl-acme/warehouse/stale.metadata.json");
      assertThat(s.executeUpdate()).isZero();
    }
    assertThat(auditOf("sales.orders")).isEqualTo(before);
  }

  private List<String> auditOf(String objectName) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return AccessControlSqlTest.rows(s, "SELECT action || ' by ' || principal || ': ' || coalesce(old_pointer, 'null')"
          + " || ' -> ' || new_pointer FROM pangolin.audit_log WHERE object_kind = 'relations' AND object_name = '"
          + objectName + "' ORDER BY id");
    }
  }

  private static String location(Table table) {
    return ((HasTableOperations) table).operations().current().metadataFileLocation();
  }

  private static String causes(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t).append('\n');
    }
    return out.toString();
  }
}
