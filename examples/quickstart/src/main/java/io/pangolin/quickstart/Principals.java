package io.pangolin.quickstart;

import static java.util.Objects.requireNonNull;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.metastore.access.AuditEntry;
import io.pangolin.metastore.access.AuditQuery;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The quickstart's set-up in the shape of examples/admin/setup.sh: the superuser makes the tenant, its
 * administrator and the engine principal; the administrator makes the warehouse and the catalog and grants the
 * engine what an ETL job needs. Every step tolerates a later run, which finds them made.
 */
final class Principals {

  static final String TENANT_ADMIN = "demo_admin";
  static final String ENGINE = "demo_etl";
  /** The REST client's principal: READ on table sales.orders, nothing else. */
  static final String READER = "demo_reader";
  /** pangolin serve's own login: a member of pangolin_endpoint, nobody by itself. */
  static final String ENDPOINT_LOGIN = "quickstart_serve";
  static final List<Privilege> ENGINE_PRIVILEGES = List.of(Privilege.READ, Privilege.WRITE, Privilege.CREATE,
      Privilege.DROP);

  private final String jdbcUrl;
  private final SecretCipher masterKey;
  private final Passwords passwords;

  /** The passwords of the quickstart's logins, kept in its state folder like the master key. */
  record Passwords(Secret tenantAdmin, Secret engine) {
    Passwords {
      requireNonNull(tenantAdmin, "tenantAdmin");
      requireNonNull(engine, "engine");
    }
  }

  Principals(String jdbcUrl, SecretCipher masterKey, Passwords passwords) {
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
    this.masterKey = requireNonNull(masterKey, "masterKey");
    this.passwords = requireNonNull(passwords, "passwords");
  }

  /** Returns true when this run made the tenant (a first run), false when an earlier run had. */
  boolean setUp(String tenant, LocalServices services, String s3Secret) {
    // The embedded server trusts its superuser on loopback and ignores this password; a real one would check it.
    PangolinAdmin superuser = PangolinAdmin.connect(jdbcUrl, LocalServices.SUPERUSER,
        Secret.of(LocalServices.SUPERUSER), Optional.empty());
    superuser.migrate();
    boolean firstRun = ignoringExisting(() -> superuser.createTenant(tenant));
    ignoringExisting(() -> superuser.createPrincipal(TENANT_ADMIN, Optional.of(passwords.tenantAdmin())));
    ignoringExisting(() -> superuser.createPrincipal(ENGINE, Optional.of(passwords.engine())));
    ignoringExisting(() -> superuser.addTenantAdmin(tenant, TENANT_ADMIN));

    PangolinAdmin admin = tenantAdmin();
    boolean newWarehouse = ignoringExisting(() -> admin.createWarehouse(new NewWarehouse(tenant, "lake",
        "s3://" + LocalServices.BUCKET + "/lake", List.of(), storageSettings(services), CredentialType.STATIC,
        "quickstart", Secret.of(s3Secret))));
    if (!newWarehouse) {
      // A later run: the S3 server listens on a new port.
      admin.updateWarehouse(tenant, "lake", new StorageUpdate(storageSettings(services), Set.of(), List.of(),
          List.of()));
    }
    ignoringExisting(() -> admin.createCatalog(tenant, "lake", "lake", null));
    for (Privilege privilege : ENGINE_PRIVILEGES) {
      admin.grant(ENGINE, privilege, ObjectRef.catalog(tenant, "lake"));
    }
    return firstRun;
  }

  /** The REST client's principal and its one grant, and the endpoint's login, as docs/serve.md makes them. */
  void setUpRest(String tenant, Secret readerPassword, Secret endpointPassword) throws SQLException {
    PangolinAdmin superuser = PangolinAdmin.connect(jdbcUrl, LocalServices.SUPERUSER,
        Secret.of(LocalServices.SUPERUSER), Optional.empty());
    ignoringExisting(() -> superuser.createPrincipal(READER, Optional.of(readerPassword)));
    tenantAdmin().grant(READER, Privilege.READ, ObjectRef.relation(tenant, "lake", List.of("sales"), "orders"));
    try (Connection db = DriverManager.getConnection(jdbcUrl, LocalServices.SUPERUSER, LocalServices.SUPERUSER);
        PreparedStatement exists = db.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      exists.setString(1, ENDPOINT_LOGIN);
      try (ResultSet rs = exists.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
      try (Statement create = db.createStatement()) {
        // CREATE ROLE takes no parameters; the password is a generated base64 key, quoted as a literal.
        create.execute("CREATE ROLE " + ENDPOINT_LOGIN + " LOGIN PASSWORD '"
            + endpointPassword.reveal().replace("'", "''") + "' IN ROLE pangolin_endpoint");
      }
    }
  }

  PangolinAdmin tenantAdmin() {
    return PangolinAdmin.connect(jdbcUrl, TENANT_ADMIN, passwords.tenantAdmin(), Optional.of(masterKey));
  }

  /** What the engine principal gets when it tries the tenant administrator's work; fails if it is not refused. */
  String engineRefusal(String tenant) {
    PangolinAdmin engine = PangolinAdmin.connect(jdbcUrl, ENGINE, passwords.engine(), Optional.empty());
    try {
      engine.createCatalog(tenant, "not_granted", "lake", null);
    } catch (RuntimeException refused) {
      return refused.getMessage().lines().findFirst().orElse("");
    }
    throw new IllegalStateException("The engine principal " + ENGINE + " created a catalog: it must not be able to");
  }

  /** What Pangolin says of the engine principal's login with a wrong password; fails if the server lets it in. */
  String wrongPasswordRefusal() {
    PangolinAdmin engine = PangolinAdmin.connect(jdbcUrl, ENGINE, Secret.of("not-" + ENGINE + "-password"),
        Optional.empty());
    try {
      engine.listTenants();
    } catch (RuntimeException refused) {
      return refused.getMessage();
    }
    throw new IllegalStateException("The server let " + ENGINE + " in with a wrong password");
  }

  /** The newest audit rows of one object of the tenant, as its administrator reads them. */
  List<String> audit(String tenant, String object, int rows) {
    return tenantAdmin().audit(AuditQuery.ofTenant(tenant).withObject(object).withLimit(rows)).stream()
        .map(Principals::describe)
        .toList();
  }

  private static String describe(AuditEntry row) {
    return row.at() + " " + row.principal() + " " + row.action() + " " + row.objectKind() + " " + row.objectName();
  }

  private static Map<String, String> storageSettings(LocalServices services) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("endpoint", services.s3Endpoint());
    settings.put("path-style-access", "true");
    settings.put("checksum-mode", "when-required");
    return settings;
  }

  /** Runs a create step; false when an earlier run already made the object. */
  private static boolean ignoringExisting(Runnable create) {
    try {
      create.run();
      return true;
    } catch (ObjectExistsException earlierRun) {
      return false;
    }
  }
}
