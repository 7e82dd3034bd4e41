package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.PrincipalInfo;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.security.Secret;
import io.pangolin.catalog.AclSceneTest;
import io.pangolin.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The principal half of the admin API, run as the logins it is meant for: a platform administrator made by the
 * superuser creates, adopts, groups and drops principals; PostgreSQL itself accepts their passwords.
 */
class PrincipalAdminTest extends AclSceneTest {

  /** Members of this group log in only with their password (the test server trusts loopback logins otherwise). */
  static final String PASSWORD_CHECKED = "pangolin_test_password_checked";

  private String platformAdmin;
  private final String adminPassword = "pa-" + UUID.randomUUID();

  @BeforeAll
  static void checkPasswords() {
    TestPostgres.get().checkPasswordsOf(PASSWORD_CHECKED);
  }

  @BeforeEach
  void createPlatformAdmin() {
    platformAdmin = scene.roleName("platform_admin");
    superuserApi().createPlatformAdmin(platformAdmin, Optional.of(Secret.of(adminPassword)));
  }

  private PangolinAdmin superuserApi() {
    return PangolinAdmin.connect(scene.url, TestPostgres.get().user(), Secret.of(TestPostgres.get().password()),
        Optional.empty());
  }

  private PangolinAdmin asPlatformAdmin() {
    return PangolinAdmin.connect(scene.url, platformAdmin, Secret.of(adminPassword), Optional.empty());
  }


  private static final ObjectRef SALES = ObjectRef.namespace("acme", "main", List.of("sales"));

  @Test
  void aPrincipalLogsInOverTcpWithThePasswordGivenAndOnlyItsVerifierIsStored() throws SQLException {
    String bob = scene.roleName("bob");
    String password = "bob-" + UUID.randomUUID();
    asPlatformAdmin().createPrincipal(bob, Optional.of(Secret.of(password)));
    scene.superuser("GRANT " + PASSWORD_CHECKED + " TO " + bob);

    assertThat(scene.url).startsWith("jdbc:postgresql://");
    try (Connection c = DriverManager.getConnection(scene.url, bob, password); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT session_user, pg_has_role('pangolin_principal', 'USAGE')")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo(bob);
      assertThat(rs.getBoolean(2)).isTrue();
    }
    assertThatThrownBy(() -> DriverManager.getConnection(scene.url, bob, password + "x"))
        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
    assertThat(superuserQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '" + bob + "'"))
        .singleElement().asString().startsWith("SCRAM-SHA-256$").doesNotContain(password);
    assertThat(superuserQuery("SELECT query FROM pg_stat_activity")).noneMatch(q -> q != null && q.contains(password));
  }

  @Test
  void aPrincipalWithoutPasswordCannotLogInWithOne() throws SQLException {
    String cert = scene.roleName("cert_login");
    asPlatformAdmin().createPrincipal(cert, Optional.empty());
    assertThat(superuserQuery("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = '" + cert + "'"))
        .containsExactly("t");
  }

  @Test
  void thePlatformAdministratorNamesTenantAdminsButReadsNoDataAndCannotNameItself() throws Exception {
    String bob = scene.roleName("bob");
    PangolinAdmin platform = asPlatformAdmin();
    platform.createPrincipal(bob, Optional.of(Secret.of(scene.password())));
    scene.admin(scene.adminA).grant(bob, Privilege.READ, ObjectRef.catalog("acme", "main"));
    platform.addTenantAdmin("globex", bob);

    assertThatThrownBy(() -> platform.addTenantAdmin("acme", platformAdmin))
        .hasMessageContaining("Permission denied: principal '" + platformAdmin + "'");
    try (Connection c = DriverManager.getConnection(scene.url, platformAdmin, adminPassword);
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT name FROM pangolin.relations")).isEmpty();
      assertThat(rows(s, "SELECT name FROM pangolin.warehouses")).isEmpty();
      assertThat(rows(s, "SELECT pg_has_role('pangolin_principal', 'USAGE')")).containsExactly("f");
    }
    // Creating bob made the platform administrator an ADMIN-only member of bob: that carries none of bob's rights.
    try (Connection c = DriverManager.getConnection(scene.url, platformAdmin, adminPassword);
        Statement s = c.createStatement()) {
      assertThat(rows(s, "SELECT pangolin.is_tenant_admin(" + scene.tenantId("globex") + ")")).containsExactly("f");
      assertThat(rows(s, "SELECT pangolin.sees(" + scene.catalogId("acme") + ", NULL, NULL)")).containsExactly("f");
    }
    try (PangolinCatalog catalog = scene.openAs("globex", bob)) {
      assertThat(catalog.listTables(Namespace.of("ops"))).hasSize(1);
    }
    assertThat(platform.listPrincipals()).filteredOn(p -> p.name().equals(bob))
        .containsExactly(new PrincipalInfo(bob, true, false, List.of(), List.of("globex")));
    assertThat(platform.listPrincipals()).filteredOn(p -> p.name().equals(platformAdmin))
        .singleElement().extracting(PrincipalInfo::platformAdmin).isEqualTo(true);
    platform.removeTenantAdmin("globex", bob);
    assertThatThrownBy(() -> platform.removeTenantAdmin("globex", bob)).isInstanceOf(NoSuchObjectException.class)
        .hasMessageContaining("'" + bob + "' is not an administrator of tenant 'globex'");
  }

  @Test
  void aGrantToAGroupReachesItsMembers() throws Exception {
    String analysts = scene.roleName("analysts");
    String carol = scene.roleName("carol");
    PangolinAdmin platform = asPlatformAdmin();
    platform.createGroup(analysts);
    platform.createPrincipal(carol, Optional.of(Secret.of(scene.password())));
    platform.addMember(analysts, carol);
    scene.admin(scene.adminA).grant(analysts, Privilege.READ, SALES);

    try (PangolinCatalog catalog = scene.openAs("acme", carol)) {
      assertThat(catalog.loadTable(TableIdentifier.of("sales", "orders"))).isNotNull();
      assertThat(catalog.tableExists(TableIdentifier.of("hr", "staff"))).isFalse();
    }
    assertThat(platform.listPrincipals()).filteredOn(p -> p.name().equals(carol))
        .containsExactly(new PrincipalInfo(carol, true, false, List.of(analysts), List.of()));
    assertThat(platform.listPrincipals()).filteredOn(p -> p.name().equals(analysts))
        .containsExactly(new PrincipalInfo(analysts, false, false, List.of(), List.of()));
  }

  @Test
  void anExistingRoleIsAdopted() throws Exception {
    String iam = scene.roleName("iam_user");
    scene.superuser("CREATE ROLE " + iam + " LOGIN PASSWORD '" + scene.password() + "'");
    assertThatThrownBy(() -> scene.openAs("acme", iam)).isNotNull();

    asPlatformAdmin().adoptPrincipal(iam);
    scene.admin(scene.adminA).grant(iam, Privilege.READ, SALES);
    try (PangolinCatalog catalog = scene.openAs("acme", iam)) {
      assertThat(catalog.tableExists(TableIdentifier.of("sales", "orders"))).isTrue();
    }
    assertThatThrownBy(() -> asPlatformAdmin().adoptPrincipal("no_such_role_" + UUID.randomUUID()))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown role 'no_such_role_");
  }

  @Test
  void droppingAPrincipalRemovesItsGrantsAndAdminRowsAndARecreatedRoleHasNothing() throws Exception {
    String bob = scene.roleName("bob");
    PangolinAdmin platform = asPlatformAdmin();
    platform.createPrincipal(bob, Optional.of(Secret.of(scene.password())));
    scene.admin(scene.adminA).grant(bob, Privilege.READ, SALES);
    scene.admin(scene.adminA).grant(bob, Privilege.WRITE, ObjectRef.catalog("acme", "main"));
    platform.addTenantAdmin("globex", bob);

    platform.dropPrincipal(bob);

    assertThat(superuserQuery("SELECT count(*) FROM pangolin.grants WHERE grantee = '" + bob + "'"))
        .containsExactly("0");
    assertThat(superuserQuery("SELECT count(*) FROM pangolin.tenant_admins WHERE role_name = '" + bob + "'"))
        .containsExactly("0");
    assertThat(superuserQuery("SELECT principal || ' ' || object_kind || ' ' || action || ' ' || coalesce("
        + "detail->>'privilege', '') FROM pangolin.audit_log WHERE object_name = '" + bob + "' AND action IN"
        + " ('REVOKE', 'DELETE') ORDER BY id"))
        .containsExactly(platformAdmin + " grants REVOKE READ", platformAdmin + " grants REVOKE WRITE",
            platformAdmin + " tenant_admins DELETE ");
    assertThat(superuserQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + bob + "'")).containsExactly("0");

    platform.createPrincipal(bob, Optional.of(Secret.of(scene.password())));
    assertThat(scene.admin(scene.adminA).grantsOf(bob)).isEmpty();
    assertThatThrownBy(() -> scene.openAs("acme", bob)).hasMessageContaining("holds no privilege");
    assertThatThrownBy(() -> platform.dropPrincipal("no_such_role_" + UUID.randomUUID()))
        .isInstanceOf(NoSuchObjectException.class);
  }

  @Test
  void everyPrincipalChangeOfAPlatformAdministratorLeavesAnAuditRowNamingIt() throws Exception {
    String dana = scene.roleName("dana");
    String team = scene.roleName("team");
    String iam = scene.roleName("iam_audited");
    PangolinAdmin platform = asPlatformAdmin();
    scene.superuser("CREATE ROLE " + iam + " LOGIN");
    platform.createPrincipal(dana, Optional.of(Secret.of(scene.password())));
    platform.createGroup(team);
    platform.adoptPrincipal(iam);
    platform.addMember(team, dana);
    platform.addTenantAdmin("globex", team);
    platform.dropPrincipal(dana);

    assertThat(superuserQuery("SELECT principal || ' ' || object_kind || ' ' || object_name || ' ' || action || ' '"
        + " || coalesce(tenant_id::text, '-') || ' ' || coalesce(detail->>'group', '') FROM pangolin.audit_log"
        + " WHERE object_kind IN ('principals', 'memberships') AND object_name IN ('" + dana + "', '" + team + "', '"
        + iam + "') ORDER BY id")).containsExactly(
            platformAdmin + " principals " + dana + " CREATE - ",
            platformAdmin + " principals " + dana + " BOUNDS - ",
            platformAdmin + " principals " + team + " CREATE - ",
            platformAdmin + " principals " + iam + " ADOPT - ",
            platformAdmin + " memberships " + dana + " GRANT - " + team,
            platformAdmin + " principals " + dana + " DROP - ");
    // A platform administrator made by the superuser is audited too.
    assertThat(superuserQuery("SELECT action || ' ' || (detail->>'platform_admin') FROM pangolin.audit_log"
        + " WHERE object_kind = 'principals' AND object_name = '" + platformAdmin + "'")).containsExactly("CREATE true");
    // Joining a tenant administrator's group is that tenant's business: its row carries the tenant.
    String erin = scene.roleName("erin");
    platform.createPrincipal(erin, Optional.empty());
    platform.addMember(team, erin);
    assertThat(superuserQuery("SELECT tenant_id FROM pangolin.audit_log WHERE object_kind = 'memberships'"
        + " AND object_name = '" + erin + "'")).containsExactly(String.valueOf(scene.tenantId("globex")));
  }

  @Test
  void aPlatformAdministratorHoldsNoCreateRoleAndManagesNoneOfPangolinsOwnRoles() throws Exception {
    assertThat(superuserQuery("SELECT rolcreaterole FROM pg_roles WHERE rolname = '" + platformAdmin + "'"))
        .containsExactly("f");
    PangolinAdmin platform = asPlatformAdmin();
    for (String role : List.of("pangolin_owner", "pangolin_role_admin", scene.roleName("other_platform"))) {
      if (!role.startsWith("pangolin_")) {
        superuserApi().createPlatformAdmin(role, Optional.empty());
      }
      assertThatThrownBy(() -> platform.dropPrincipal(role)).isInstanceOf(RefusedException.class);
      assertThatThrownBy(() -> platform.adoptPrincipal(role)).isInstanceOf(RefusedException.class);
      assertThatThrownBy(() -> platform.addMember(role, scene.reader)).isInstanceOf(RefusedException.class);
    }
    String su = scene.roleName("su_like");
    scene.superuser("CREATE ROLE " + su + " LOGIN BYPASSRLS");
    assertThatThrownBy(() -> platform.adoptPrincipal(su)).isInstanceOf(RefusedException.class);
    assertThatThrownBy(() -> platform.createPlatformAdmin(scene.roleName("pa2"), Optional.empty()))
        .isInstanceOf(RefusedException.class);
  }

  @Test
  void onlyPlatformAdministratorsManagePrincipals() {
    String eve = scene.roleName("eve");
    assertThatThrownBy(() -> scene.admin(scene.adminA).createPrincipal(eve, Optional.empty()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("principal '" + scene.adminA + "' may not administer roles: create principal '" + eve)
        .hasMessageContaining("pangolin_platform_admin");
    assertThatThrownBy(() -> scene.admin(scene.reader).dropPrincipal(scene.writer)).isInstanceOf(RefusedException.class)
        .hasMessageContaining("drop principal '" + scene.writer + "'");
  }

  private List<String> superuserQuery(String sql) throws SQLException {
    try (Connection c = scene.superuser(); Statement s = c.createStatement()) {
      return rows(s, sql);
    }
  }

  private static List<String> rows(Statement s, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }
}
