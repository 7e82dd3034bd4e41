-- Principal administration (the admin command line's "principal drop"). A dropped role's grants and tenant
-- administrator rows must go in the same transaction as DROP ROLE: grants name roles by name, so a role created
-- later with the same name would otherwise inherit them. Principals may not delete grants rows directly (only
-- revoke_privilege, which needs MANAGE_GRANTS on each object), so this narrow function does it, for platform
-- administrators and the owner only. The existing audit triggers record each removed row.
CREATE FUNCTION forget_principal(role_name name) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  grants_removed integer;
BEGIN
  IF NOT (is_member('pangolin_platform_admin')
          OR (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user)) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks platform administration to drop principal %',
      session_user, role_name USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM grants g WHERE g.grantee = forget_principal.role_name;
  GET DIAGNOSTICS grants_removed = ROW_COUNT;
  DELETE FROM tenant_admins a WHERE a.role_name = forget_principal.role_name;
  RETURN grants_removed;
END $$;

ALTER FUNCTION forget_principal(name) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION forget_principal(name) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION forget_principal(name) TO pangolin_platform_admin;

-- A principal's rights are those it inherits, not every membership it has. From PostgreSQL 16 the login that
-- creates a role is granted membership in it WITH ADMIN OPTION but without INHERIT, so that it can manage the
-- role; V4's is_member counted that as membership, which gave a platform administrator the grants of every
-- principal it created and kept it from naming them tenant administrators. 'USAGE' follows inheritance only.
CREATE OR REPLACE FUNCTION is_member(role_name name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = role_name AND pg_has_role(session_user, r.oid, 'USAGE'))
$$;
