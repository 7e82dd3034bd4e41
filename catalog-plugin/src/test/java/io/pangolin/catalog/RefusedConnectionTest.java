package io.pangolin.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.testing.TestCatalogs;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An engine opening a catalog whose login or database the server refuses learns it at once, in one message that
 * names the user or the database and the catalog properties to fix, and the refused login is not tried again.
 * (Hikari alone retried it until its connection timeout, about ten seconds.) The elapsed time is printed, not
 * asserted: a shared machine's timing proves nothing.
 */
class RefusedConnectionTest {

  private static final String CHECKED = "pangolin_test_refused_logins";
  private static final String WRONG = "wrong-" + UUID.randomUUID();

  private final String role = "refused_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private String url;

  @BeforeAll
  static void checkPasswords() {
    TestPostgres.get().checkPasswordsOf(CHECKED);
  }

  @BeforeEach
  void createLogin() throws SQLException {
    url = TestCatalogs.migratedDatabase();
    superuser("CREATE ROLE " + role + " LOGIN PASSWORD 'right-" + UUID.randomUUID() + "' IN ROLE " + CHECKED
        + ", pangolin_principal");
  }

  @AfterEach
  void dropLogin() throws SQLException {
    superuser("DROP ROLE IF EXISTS " + role);
  }

  private void superuser(String sql) throws SQLException {
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** As the test's login with a wrong password. */
  private Map<String, String> properties(String database) {
    Map<String, String> props = TestCatalogs.properties(database, "acme", "main");
    props.put("jdbc.user", role);
    props.put("jdbc.password", WRONG);
    return props;
  }

  @Test
  void aWrongPasswordIsNotAuthorizedAtOnceNamingTheUserAndTheProperties() {
    long start = System.nanoTime();
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", properties(url)))
        .isInstanceOf(NotAuthorizedException.class)
        .hasMessage("PostgreSQL refused the login of '%s' (SQLSTATE 28P01: password authentication failed for user"
            + " \"%s\"); check the catalog properties 'jdbc.user' and 'jdbc.password'", role, role)
        .satisfies(e -> assertThat(chain(e)).doesNotContain(WRONG));
    System.out.printf("a refused login failed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  void aRefusedLoginIsTriedOnce() {
    AtomicInteger attempts = new AtomicInteger();
    PGSimpleDataSource counting = new PGSimpleDataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        attempts.incrementAndGet();
        return super.getConnection();
      }
    };
    counting.setUrl(url);
    counting.setUser(role);
    counting.setPassword(WRONG);
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", properties(url), counting))
        .isInstanceOf(NotAuthorizedException.class);
    assertThat(attempts).as("logins attempted").hasValue(1);
  }

  @Test
  void aMissingDatabaseSaysHowToCreateIt() {
    String missing = url + "_missing";
    String database = missing.substring(missing.lastIndexOf('/') + 1);
    long start = System.nanoTime();
    // As the server's superuser: the server checks a password before it looks for the database.
    assertThatThrownBy(() -> new PangolinCatalog().initialize("main", TestCatalogs.properties(missing, "acme", "main")))
        .isInstanceOf(NoSuchObjectException.class)
        .hasMessageStartingWith("Database '" + database + "' does not exist on ")
        .hasMessageEndingWith("; create it (createdb " + database + ", or CREATE DATABASE " + database + " as a"
            + " superuser) and migrate it with 'java -jar pangolin-catalog-<version>.jar schema migrate' (or set the"
            + " catalog property 'pangolin.schema.auto-migrate=true'), or correct the database in the catalog"
            + " property 'uri'");
    System.out.printf("a missing database failed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
  }

  private static String chain(Throwable e) {
    StringBuilder out = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      out.append(t).append('\n');
    }
    return out.toString();
  }
}
