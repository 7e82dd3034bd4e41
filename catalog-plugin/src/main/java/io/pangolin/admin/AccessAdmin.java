package io.pangolin.admin;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.access.AuditEntry;
import io.pangolin.metastore.access.AuditQuery;
import io.pangolin.metastore.access.AuditStore;
import io.pangolin.metastore.access.GrantInfo;
import io.pangolin.metastore.access.GrantStore;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.PrincipalBounds;
import io.pangolin.metastore.access.PrincipalInfo;
import io.pangolin.metastore.access.PrincipalStore;
import io.pangolin.metastore.access.Privilege;
import io.pangolin.security.Secret;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The principals, grants and audit trail part of {@link PangolinAdmin}'s API, kept apart only so that the facade
 * stays readable: it needs nothing but the database, no keys and no warehouse. Callers use these methods as
 * PangolinAdmin's own: a public member of a non-public superclass is the subclass's member to javac (which adds
 * public bridges to PangolinAdmin, so reflection and compiled callers find them there too) and to javadoc. Nothing
 * else extends it.
 */
abstract class AccessAdmin {

  private final PrincipalStore principals;
  private final GrantStore grants;
  private final AuditStore auditTrail;

  AccessAdmin(Database db) {
    requireNonNull(db, "db");
    this.principals = new PrincipalStore(db);
    this.grants = new GrantStore(db);
    this.auditTrail = new AuditStore(db);
  }

  // Principals: PostgreSQL roles (see README "Security model")

  /**
   * A login role in pangolin_principal with the default bounds ({@link PrincipalBounds#DEFAULTS}); its password, if
   * any, is sent only as a SCRAM verifier. The result names any bound the caller was not allowed to set.
   */
  public PrincipalBounds.Applied createPrincipal(String role, Optional<Secret> password) {
    return createPrincipal(role, password, PrincipalBounds.DEFAULTS);
  }

  /** As {@link #createPrincipal(String, Optional)}, with these bounds (empty ones are not set). */
  public PrincipalBounds.Applied createPrincipal(String role, Optional<Secret> password, PrincipalBounds bounds) {
    return principals.createPrincipal(role, password, bounds);
  }

  /** A role without login in pangolin_principal: grants to it reach its members. */
  public void createGroup(String role) {
    principals.createGroup(role);
  }

  /** An existing role (for example one made by a cloud provider's IAM integration) joins pangolin_principal. */
  public PrincipalBounds.Applied adoptPrincipal(String role) {
    return adoptPrincipal(role, PrincipalBounds.DEFAULTS);
  }

  /** As {@link #adoptPrincipal(String)}, with these bounds (empty ones are left as the role has them). */
  public PrincipalBounds.Applied adoptPrincipal(String role, PrincipalBounds bounds) {
    return principals.adoptPrincipal(role, bounds);
  }

  /** Sets the given bounds on an existing principal; they apply from its next login. */
  public PrincipalBounds.Applied setBounds(String role, PrincipalBounds bounds) {
    return principals.setBounds(role, bounds);
  }

  /** The settings the role's sessions start with in this database, its bounds among them. */
  public Map<String, String> roleSettings(String role) {
    return principals.roleSettings(role);
  }

  public void addMember(String group, String member) {
    principals.addMember(group, member);
  }

  /**
   * A login that creates tenants, names their administrators and manages principals (through pangolin_role_admin's
   * functions; it holds no CREATEROLE), but reads no data. Made by a superuser.
   */
  public void createPlatformAdmin(String role, Optional<Secret> password) {
    principals.createPlatformAdmin(role, password);
  }

  public List<PrincipalInfo> listPrincipals() {
    return principals.listPrincipals();
  }

  /** Removes the role's grants and tenant administrator rows, then the role, in one transaction. */
  public void dropPrincipal(String role) {
    principals.dropPrincipal(role);
  }

  public void addTenantAdmin(String tenant, String role) {
    principals.addTenantAdmin(tenant, role);
  }

  public void removeTenantAdmin(String tenant, String role) {
    principals.removeTenantAdmin(tenant, role);
  }

  // Grants and the audit trail

  public void grant(String grantee, Privilege privilege, ObjectRef on) {
    grants.grant(grantee, privilege, on);
  }

  /** Returns how many grants were removed: 0 when the grantee did not hold it on exactly this object. */
  public int revoke(String grantee, Privilege privilege, ObjectRef on) {
    return grants.revoke(grantee, privilege, on);
  }

  /** The principal's own grants (not those of its groups), as far as the caller may see them. */
  public List<GrantInfo> grantsOf(String principal) {
    return grants.grantsOf(principal);
  }

  /**
   * The grants that reach the object: on it, on its catalog and on every namespace enclosing it; not grants on
   * objects inside it, and not tenant administrators (who hold everything; see {@link #listPrincipals}).
   */
  public List<GrantInfo> grantsOn(ObjectRef on) {
    return grants.grantsOn(on);
  }

  /** One tenant's audit rows, newest first; only that tenant's administrators see any. */
  public List<AuditEntry> audit(AuditQuery query) {
    return auditTrail.audit(query);
  }
}
