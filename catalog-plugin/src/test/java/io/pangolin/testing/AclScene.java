package io.pangolin.testing;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.PangolinConfig;
import io.pangolin.security.Secret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Two tenants, acme and globex, each with catalog 'main', and five login roles made by the test (roles are
 * cluster-wide, so their names carry a per-scene suffix): a platform administrator, acme's administrator, a reader
 * of namespace acme.sales, a writer of table acme.sales.orders, and globex's administrator. acme has namespaces
 * sales, sales.eu and hr with tables sales.orders, sales.returns, sales.eu.eu_orders and hr.staff; globex has
 * ops.events. The grants are made by acme's administrator through pangolin.grant_privilege.
 */
public final class AclScene implements AutoCloseable {

  public static final List<String> TABLES =
      List.of("tenants", "warehouses", "catalogs", "namespaces", "relations", "grants", "tenant_admins", "audit_log");

  public final String url;
  public final String platform;
  public final String adminA;
  public final String reader;
  public final String writer;
  public final String adminB;
  private final String password = "pw-" + UUID.randomUUID();
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final List<String> roles = new ArrayList<>();

  public AclScene(TestS3 s3) throws SQLException {
    url = TestCatalogs.migratedDatabase();
    TestCatalogs.s3Catalog(url, "acme", "lake", "main", s3, "acl-acme", List.of());
    TestCatalogs.s3Catalog(url, "globex", "lake", "main", s3, "acl-globex", List.of());
    try (PangolinCatalog a = open("acme", TestPostgres.get().user(), TestPostgres.get().password());
        PangolinCatalog b = open("globex", TestPostgres.get().user(), TestPostgres.get().password())) {
      a.createNamespace(Namespace.of("sales"));
      a.createNamespace(Namespace.of("sales", "eu"));
      a.createNamespace(Namespace.of("hr"));
      for (String t : List.of("sales.orders", "sales.returns", "sales.eu.eu_orders", "hr.staff")) {
        a.createTable(TableIdentifier.parse(t), TestTables.SCHEMA);
      }
      b.createNamespace(Namespace.of("ops"));
      b.createTable(TableIdentifier.of("ops", "events"), TestTables.SCHEMA);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    platform = login("platform", "pangolin_platform_admin");
    adminA = login("admin_a", "pangolin_principal");
    reader = login("reader", "pangolin_principal");
    writer = login("writer", "pangolin_principal");
    adminB = login("admin_b", "pangolin_principal");
    superuser("INSERT INTO pangolin.tenant_admins (tenant_id, role_name) VALUES (" + tenantId("acme") + ", '" + adminA
        + "'), (" + tenantId("globex") + ", '" + adminB + "')");
    grant(adminA, reader, "READ", "acme", "sales", null);
    grant(adminA, writer, "READ", "acme", "sales", "orders");
    grant(adminA, writer, "WRITE", "acme", "sales", "orders");
  }

  /** A Pangolin catalog on tenant's 'main' catalog, connected as the given login. */
  public PangolinCatalog open(String tenant, String user, String pw) {
    return open(tenant, user, pw, "main");
  }

  private PangolinCatalog open(String tenant, String user, String pw, String ref) {
    Map<String, String> props = TestCatalogs.properties(url, tenant, "main");
    props.put("jdbc.user", user);
    props.put("jdbc.password", pw);
    if (!"main".equals(ref)) {
      props.put(PangolinConfig.REF, ref);
    }
    PangolinCatalog catalog = new PangolinCatalog();
    catalog.initialize(ref, props);
    return catalog;
  }

  /** The admin API connected as the given login of this scene. */
  public PangolinAdmin admin(String user) {
    return PangolinAdmin.connect(url, user, Secret.of(password), Optional.empty());
  }

  public PangolinCatalog openAs(String tenant, String user) {
    return open(tenant, user, password);
  }

  /** The same, on branch or tag {@code ref}. */
  public PangolinCatalog openAs(String tenant, String user, String ref) {
    return open(tenant, user, password, ref);
  }

  public String password() {
    return password;
  }

  /** Creates a login role (or a group role when {@code group} is null) with a per-scene name. */
  public String login(String name, String group) throws SQLException {
    String role = name + "_" + suffix;
    superuser("CREATE ROLE " + role + (group == null ? " NOLOGIN" : " LOGIN PASSWORD '" + password + "' IN ROLE "
        + group));
    roles.add(0, role);
    return role;
  }

  /**
   * A per-scene role name for a role the test creates by other means (the admin API or CLI), dropped with the
   * scene; name roles in creation order so that a role's creator is dropped after it.
   */
  public String roleName(String name) {
    String role = name + "_" + suffix;
    roles.add(0, role);
    return role;
  }

  public Connection connect(String user) throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  public Connection superuser() throws SQLException {
    return DriverManager.getConnection(url, TestPostgres.get().user(), TestPostgres.get().password());
  }

  public void superuser(String sql) throws SQLException {
    try (Connection c = superuser(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  public long tenantId(String tenant) throws SQLException {
    return id("SELECT id FROM pangolin.tenants WHERE name = '" + tenant + "'");
  }

  public long catalogId(String tenant) throws SQLException {
    return id("SELECT c.id FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id"
        + " WHERE t.name = '" + tenant + "' AND c.name = 'main'");
  }

  public long warehouseId(String tenant) throws SQLException {
    return id("SELECT warehouse_id FROM pangolin.catalogs WHERE id = " + catalogId(tenant));
  }

  public long namespaceId(String tenant, String namespace) throws SQLException {
    return id("SELECT id FROM pangolin.namespaces WHERE catalog_id = " + catalogId(tenant)
        + " AND levels = string_to_array('" + namespace + "', '.')");
  }

  public long relationId(String tenant, String namespace, String name) throws SQLException {
    return id("SELECT id FROM pangolin.relations WHERE namespace_id = " + namespaceId(tenant, namespace)
        + " AND name = '" + name + "'");
  }

  private long id(String sql) throws SQLException {
    try (Connection c = superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** pangolin.grant_privilege called by {@code by}; a null relation grants on the namespace. */
  public void grant(String by, String grantee, String privilege, String tenant, String namespace, String relation)
      throws SQLException {
    try (Connection c = connect(by);
        PreparedStatement s = c.prepareStatement("SELECT pangolin.grant_privilege(?, ?, ?, ?, ?)")) {
      s.setString(1, grantee);
      s.setString(2, privilege);
      s.setLong(3, catalogId(tenant));
      s.setObject(4, namespace == null ? null : namespaceId(tenant, namespace), java.sql.Types.BIGINT);
      s.setObject(5, relation == null ? null : relationId(tenant, namespace, relation), java.sql.Types.BIGINT);
      s.execute();
    }
  }

  /** Every row of every Pangolin table, as the superuser reads it. */
  public String dump() throws SQLException {
    return dump(url, TABLES);
  }

  /** Every row of the given Pangolin tables of the database at {@code url}, as the superuser reads it. */
  public static String dump(String url, List<String> tables) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = TestCatalogs.dataSource(url).getConnection(); Statement s = c.createStatement()) {
      for (String table : tables) {
        try (ResultSet rs = s.executeQuery(
            "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM pangolin." + table + " t")) {
          rs.next();
          out.append(table).append(":\n").append(rs.getString(1)).append('\n');
        }
      }
    }
    return out.toString();
  }

  @Override
  public void close() throws SQLException {
    for (String role : roles) {
      superuser("DROP ROLE IF EXISTS " + role);
    }
  }
}
