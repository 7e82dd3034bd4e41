package io.pangolin.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pangolin.metastore.access.AuditEntry;
import io.pangolin.metastore.access.AuditQuery;
import io.pangolin.metastore.access.GrantInfo;
import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.catalog.AclSceneTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;

/** Grants and the audit trail through the admin API, each call made as the principal it is about. */
class GrantAdminTest extends AclSceneTest {

  private static final ObjectRef CATALOG = ObjectRef.catalog("acme", "main");
  private static final ObjectRef SALES = ObjectRef.namespace("acme", "main", List.of("sales"));
  private static final ObjectRef EU = ObjectRef.namespace("acme", "main", List.of("sales", "eu"));
  private static final ObjectRef ORDERS = ObjectRef.relation("acme", "main", List.of("sales"), "orders");
  private static final ObjectRef STAFF = ObjectRef.relation("acme", "main", List.of("hr"), "staff");



  @Test
  void privilegeNamesEveryPrivilegeTheDatabaseAdmitsAndNoOther() throws Exception {
    String check;
    try (Connection c = scene.superuser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'grants_privilege_check'"
            + " AND conrelid = 'pangolin.grants'::regclass")) {
      assertThat(rs.next()).isTrue();
      check = rs.getString(1);
    }
    Set<String> admitted = new TreeSet<>();
    Matcher quoted = Pattern.compile("'([^']+)'").matcher(check);
    while (quoted.find()) {
      admitted.add(quoted.group(1));
    }
    assertThat(admitted).as(check).isNotEmpty();
    Set<String> inJava = Arrays.stream(Privilege.values()).map(Privilege::name)
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(inJava).isEqualTo(admitted);
  }

  private static List<String> described(List<GrantInfo> grants) {
    return grants.stream().map(g -> g.grantee() + " " + g.privilege() + " " + g.on()).toList();
  }

  @Test
  void aTenantAdministratorGrantsRevokesAndShowsGrantsByPrincipalAndByObject() throws Exception {
    PangolinAdmin admin = scene.admin(scene.adminA);
    assertThat(described(admin.grantsOn(ORDERS))).containsExactlyInAnyOrder(
        scene.reader + " READ namespace acme/main/sales",
        scene.writer + " READ table or view acme/main/sales.orders",
        scene.writer + " WRITE table or view acme/main/sales.orders");
    assertThat(described(admin.grantsOn(EU))).containsExactly(scene.reader + " READ namespace acme/main/sales");
    assertThat(admin.grantsOn(STAFF)).isEmpty();

    admin.grant(scene.reader, Privilege.READ, STAFF);
    admin.grant(scene.reader, Privilege.CREATE, CATALOG);
    admin.grant(scene.reader, Privilege.CREATE, CATALOG);
    List<GrantInfo> readers = admin.grantsOf(scene.reader);
    assertThat(described(readers)).containsExactly(
        scene.reader + " CREATE catalog acme/main",
        scene.reader + " READ table or view acme/main/hr.staff",
        scene.reader + " READ namespace acme/main/sales");
    assertThat(readers.get(0).grantedBy()).isEqualTo(scene.adminA);
    assertThat(described(scene.admin(scene.reader).grantsOf(scene.reader))).isEqualTo(described(readers));
    try (var catalog = scene.openAs("acme", scene.reader)) {
      assertThat(catalog.tableExists(TableIdentifier.of("hr", "staff"))).isTrue();
    }

    assertThat(admin.revoke(scene.reader, Privilege.READ, STAFF)).isEqualTo(1);
    assertThat(admin.revoke(scene.reader, Privilege.READ, STAFF)).isZero();
    assertThat(admin.revoke(scene.reader, Privilege.CREATE, CATALOG)).isEqualTo(1);
    assertThat(described(admin.grantsOf(scene.reader))).containsExactly(scene.reader + " READ namespace acme/main/sales");
    try (var catalog = scene.openAs("acme", scene.reader)) {
      assertThat(catalog.tableExists(TableIdentifier.of("hr", "staff"))).isFalse();
    }
  }

  @Test
  void aReaderMayNotGrantAndUnknownNamesAreNamed() throws Exception {
    String before = scene.dump();
    assertThatThrownBy(() -> scene.admin(scene.reader).grant(scene.writer, Privilege.READ, SALES))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("principal '" + scene.reader + "' may not grant READ to '" + scene.writer
            + "' on namespace acme/main/sales (needs the MANAGE_GRANTS privilege)");
    assertThatThrownBy(() -> scene.admin(scene.reader).revoke(scene.writer, Privilege.WRITE, ORDERS))
        .isInstanceOf(RefusedException.class).hasMessageContaining("MANAGE_GRANTS");
    PangolinAdmin admin = scene.admin(scene.adminA);
    assertThatThrownBy(() -> admin.grant(scene.reader, Privilege.READ,
        ObjectRef.namespace("acme", "main", List.of("nope"))))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown namespace acme/main/nope");
    assertThatThrownBy(() -> admin.grant(scene.reader, Privilege.READ,
        ObjectRef.relation("acme", "main", List.of("sales"), "nope")))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown table or view acme/main/sales.nope");
    assertThatThrownBy(() -> admin.grant(scene.reader, Privilege.READ, ObjectRef.catalog("acme", "nope")))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown catalog acme/nope");
    assertThatThrownBy(() -> admin.grant(scene.reader, Privilege.READ, ObjectRef.catalog("globex", "main")))
        .as("another tenant's catalog does not exist for acme's administrator")
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown catalog globex/main");
    assertThatThrownBy(() -> admin.grant("no_such_role", Privilege.READ, SALES))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown role 'no_such_role'");
    assertThatThrownBy(() -> admin.grantsOn(ObjectRef.namespace("acme", "main", List.of("nope"))))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown namespace acme/main/nope");
    assertThat(scene.dump()).isEqualTo(before);
  }

  @Test
  void theAuditTrailFiltersByTenantObjectAndTimeForTheTenantsAdministratorsOnly() throws Exception {
    PangolinAdmin admin = scene.admin(scene.adminA);
    long acme = scene.tenantId("acme");
    long globex = scene.tenantId("globex");
    List<AuditEntry> all = admin.audit(AuditQuery.ofTenant("acme"));
    assertThat(all).isNotEmpty().allMatch(e -> e.tenantId() == acme);
    assertThat(all).extracting(AuditEntry::at).isSortedAccordingTo((a, b) -> b.compareTo(a));
    assertThat(all).extracting(AuditEntry::objectName).contains("sales.orders", "hr");

    assertThat(admin.audit(AuditQuery.ofTenant("acme").withObject("sales")))
        .extracting(AuditEntry::objectName).isNotEmpty()
        .allMatch(n -> n.equals("sales") || n.startsWith("sales."))
        .contains("sales", "sales.eu", "sales.orders", "sales.eu.eu_orders");

    Instant before = Instant.now();
    Thread.sleep(5);
    admin.grant(scene.writer, Privilege.READ, STAFF);
    List<AuditEntry> recent = admin.audit(AuditQuery.ofTenant("acme").between(Optional.of(before), Optional.empty()));
    assertThat(recent).singleElement().satisfies(e -> {
      assertThat(e.action()).isEqualTo("GRANT");
      assertThat(e.principal()).isEqualTo(scene.adminA);
      assertThat(e.objectKind()).isEqualTo("grants");
      assertThat(e.objectName()).isEqualTo(scene.writer);
      assertThat(e.detail()).contains("\"privilege\": \"READ\"");
    });
    assertThat(admin.audit(AuditQuery.ofTenant("acme").between(Optional.empty(), Optional.of(before))))
        .hasSize(all.size());
    assertThat(admin.audit(AuditQuery.ofTenant("acme").withLimit(2))).hasSize(2).first()
        .isEqualTo(recent.get(0));

    assertThat(scene.admin(scene.reader).audit(AuditQuery.ofTenant("acme"))).isEmpty();
    assertThatThrownBy(() -> scene.admin(scene.adminB).audit(AuditQuery.ofTenant("acme")))
        .isInstanceOf(NoSuchObjectException.class).hasMessageContaining("Unknown tenant 'acme'");
    assertThat(scene.admin(scene.adminB).audit(AuditQuery.ofTenant("globex"))).isNotEmpty()
        .allMatch(e -> e.tenantId() == globex);
  }
}
