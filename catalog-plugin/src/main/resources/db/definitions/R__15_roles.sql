-- Principals: the one way a platform administrator makes, adopts, groups, bounds and drops them. The functions
-- below are owned by pangolin_role_admin (V13: NOLOGIN, CREATEROLE, ADMIN OPTION on pangolin_principal and SET on
-- temp_file_limit), so platform administrators hold no CREATEROLE of their own: they cannot grant themselves
-- pangolin_owner or a tenant administrator's role, make a role to name a tenant's administrator and then join it,
-- or reset another principal's password. PostgreSQL lets every login change its own password (ALTER ROLE CURRENT_USER
-- PASSWORD ...); nobody else's is changed here. Every change writes an audit row naming the acting principal.
--
-- A superuser may call these functions too (the roles it makes are then administered by pangolin_role_admin, as
-- any principal is), or use plain role DDL.
--
-- Conventions as in every R__ file, with pangolin_role_admin in the owner's place: search_path ending with pg_temp,
-- every name schema-qualified, helpers in pangolin_private, EXECUTE granted per function to pangolin_platform_admin.

-- The audit row, written by the owner of audit_log for pangolin_role_admin's functions (and only for them).
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.record_role_change(kind text, role_name text, action text, detail jsonb)
  RETURNS void
  LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
  -- A membership in a tenant's administrator role is that tenant's business too: one row per tenant it administers.
  INSERT INTO pangolin.audit_log (tenant_id, object_kind, object_name, action, detail)
  SELECT t.tenant_id, kind, role_name, action, detail
  FROM (SELECT a.tenant_id FROM pangolin.tenant_admins a
        WHERE kind = 'memberships' AND a.role_name = (detail->>'group')::name
        UNION ALL
        SELECT NULL WHERE kind <> 'memberships'
                       OR NOT EXISTS (SELECT 1 FROM pangolin.tenant_admins a
                                      WHERE a.role_name = (detail->>'group')::name)) t
$$;

RESET ROLE;
SET ROLE pangolin_role_admin;

-- The acting principal must be a platform administrator (a member that inherits pangolin_platform_admin) or a
-- superuser.
CREATE OR REPLACE FUNCTION pangolin_private.require_role_admin(what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  IF NOT (pg_catalog.pg_has_role(session_user, 'pangolin_platform_admin', 'USAGE')
          OR coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user), false)) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks platform administration on %', session_user,
      pg_catalog.left(what, 200) USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.require_role_name(role_name name) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF role_name IS NULL OR pg_catalog.length(role_name) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'Invalid role name: none' USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

-- Roles no platform administrator may touch: superusers (and roles that bypass row-level security), Pangolin's own
-- roles, platform administrators, and any role that is a member of one of these (it could SET ROLE to it).
CREATE OR REPLACE FUNCTION pangolin_private.is_protected_role(role_name name) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles s, pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) role_name
                   AND (s.rolsuper OR s.rolbypassrls
                        OR s.rolname OPERATOR(pg_catalog.=) ANY (ARRAY['pangolin_owner', 'pangolin_role_admin',
                                                                       'pangolin_platform_admin',
                                                                       'pangolin_principal',
                                                                       'pangolin_endpoint']::name[]))
                   AND (r.oid OPERATOR(pg_catalog.=) s.oid
                        OR (s.rolname OPERATOR(pg_catalog.<>) 'pangolin_principal'
                            AND pg_catalog.pg_has_role(r.oid, s.oid, 'MEMBER'))))
$$;

-- Whether a platform administrator is, or is a member of, this role: granting it to another role would hand that
-- role's rights to the administrator, or the administrator's to it.
CREATE OR REPLACE FUNCTION pangolin_private.holds_platform_admin(role_name name) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles a, pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) role_name
                   AND a.rolname OPERATOR(pg_catalog.<>) 'pangolin_platform_admin' AND NOT a.rolsuper
                   AND pg_catalog.pg_has_role(a.oid, 'pangolin_platform_admin', 'MEMBER')
                   AND (pg_catalog.pg_has_role(a.oid, r.oid, 'MEMBER') OR pg_catalog.pg_has_role(r.oid, a.oid, 'MEMBER')))
$$;

-- An existing principal (a direct member of pangolin_principal) that no platform administrator is kept from:
-- NULL when it does not exist, a refusal when it is not one.
CREATE OR REPLACE FUNCTION pangolin_private.managed_principal(role_name name, what text) RETURNS oid
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  r oid;
BEGIN
  PERFORM pangolin_private.require_role_name(role_name);
  SELECT p.oid INTO r FROM pg_catalog.pg_roles p WHERE p.rolname OPERATOR(pg_catalog.=) role_name;
  IF r IS NULL THEN
    RAISE EXCEPTION 'Role "%" does not exist', pg_catalog.left(role_name, 63) USING ERRCODE = 'undefined_object';
  END IF;
  IF pangolin_private.is_protected_role(role_name)
     OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                    WHERE m.member OPERATOR(pg_catalog.=) r
                      AND m.roleid OPERATOR(pg_catalog.=) 'pangolin_principal'::pg_catalog.regrole) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks platform administration on %: % is not a principal'
                    ' a platform administrator manages', session_user, what, role_name
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'Pangolin''s own roles, superusers and platform administrators are managed by a superuser.';
  END IF;
  RETURN r;
END $$;

-- A login principal. The password comes only as a SCRAM-SHA-256 verifier computed by the client, so no clear
-- password reaches the server or its logs; NULL makes a login that authenticates some other way.
CREATE OR REPLACE FUNCTION pangolin.create_principal(role_name name, password_verifier text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM pangolin_private.require_role_admin('creating principal ' || coalesce(role_name, ''));
  PERFORM pangolin_private.require_role_name(role_name);
  IF password_verifier IS NOT NULL
     AND password_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
    RAISE EXCEPTION 'Invalid password for %: give a SCRAM-SHA-256 verifier computed by the client, never the'
                    ' password itself', role_name USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF password_verifier IS NULL THEN
    EXECUTE format('CREATE ROLE %I LOGIN IN ROLE pangolin_principal', role_name);
  ELSE
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE pangolin_principal', role_name, password_verifier);
  END IF;
  PERFORM pangolin_private.record_role_change('principals', role_name, 'CREATE',
    jsonb_build_object('login', true, 'password', password_verifier IS NOT NULL));
END $$;

CREATE OR REPLACE FUNCTION pangolin.create_group(role_name name) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM pangolin_private.require_role_admin('creating group ' || coalesce(role_name, ''));
  PERFORM pangolin_private.require_role_name(role_name);
  EXECUTE format('CREATE ROLE %I NOLOGIN IN ROLE pangolin_principal', role_name);
  PERFORM pangolin_private.record_role_change('principals', role_name, 'CREATE', jsonb_build_object('login', false));
END $$;

-- An existing role (a cloud provider's IAM login, say) joins pangolin_principal.
CREATE OR REPLACE FUNCTION pangolin.adopt_principal(role_name name) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  PERFORM pangolin_private.require_role_admin('adopting ' || coalesce(role_name, ''));
  PERFORM pangolin_private.require_role_name(role_name);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r WHERE r.rolname = role_name) THEN
    RAISE EXCEPTION 'Role "%" does not exist', role_name USING ERRCODE = 'undefined_object';
  END IF;
  IF pangolin_private.is_protected_role(role_name) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks platform administration on adopting %: it is a superuser,'
                    ' one of Pangolin''s own roles, a platform administrator or a member of one', session_user,
                    role_name USING ERRCODE = 'insufficient_privilege';
  END IF;
  EXECUTE format('GRANT pangolin_principal TO %I', role_name);
  PERFORM pangolin_private.record_role_change('principals', role_name, 'ADOPT', '{}');
END $$;

-- Sets the given bounds (parameter to value; only the four below) on a principal. Answers one row per bound, with
-- the server's reason where it could not be set (from PostgreSQL 16, a role pangolin_role_admin did not create and
-- was not given ADMIN OPTION on): the others still land.
CREATE OR REPLACE FUNCTION pangolin.set_principal_bounds(role_name name, bounds jsonb)
  RETURNS TABLE (parameter text, value text, reason text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  b record;
  applied jsonb := '{}';
BEGIN
  PERFORM pangolin_private.require_role_admin('the bounds of ' || coalesce(role_name, ''));
  PERFORM pangolin_private.managed_principal(role_name, 'the bounds of ' || role_name);
  IF bounds IS NULL OR jsonb_typeof(bounds) <> 'object' OR EXISTS (
      SELECT 1 FROM jsonb_each(bounds) e
      WHERE e.key <> ALL (ARRAY['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
                                'temp_file_limit'])
         OR jsonb_typeof(e.value) <> 'string' OR length(e.value #>> '{}') > 32) THEN
    RAISE EXCEPTION 'Invalid bounds: an object of statement_timeout, lock_timeout,'
                    ' idle_in_transaction_session_timeout and temp_file_limit to short text values'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  FOR b IN SELECT e.key, e.value #>> '{}' AS v FROM jsonb_each(bounds) e
           ORDER BY array_position(ARRAY['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout',
                                         'temp_file_limit'], e.key) LOOP
    parameter := b.key;
    value := b.v;
    reason := NULL;
    BEGIN
      EXECUTE format('ALTER ROLE %I SET %I = %L', role_name, b.key, b.v);
      applied := applied || jsonb_build_object(b.key, b.v);
    EXCEPTION WHEN insufficient_privilege THEN
      reason := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
  IF applied <> '{}' THEN
    PERFORM pangolin_private.record_role_change('principals', role_name, 'BOUNDS', applied);
  END IF;
END $$;

-- A member joins a group. Neither may be a platform administrator or hold one: that would carry the group's rights
-- (a tenant administrator's, say) to a platform administrator, or a platform administrator's to the group.
CREATE OR REPLACE FUNCTION pangolin.add_member(group_name name, member_name name) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  what text := format('adding %s to group %s', member_name, group_name);
BEGIN
  PERFORM pangolin_private.require_role_admin(what);
  PERFORM pangolin_private.managed_principal(group_name, what);
  PERFORM pangolin_private.managed_principal(member_name, what);
  IF pangolin_private.holds_platform_admin(member_name) OR pangolin_private.holds_platform_admin(group_name) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks platform administration on %: a platform administrator'
                    ' is, or is a member of, one of them', session_user, what
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF pg_catalog.pg_has_role(group_name, member_name, 'MEMBER') THEN
    RAISE EXCEPTION 'Cannot add % to group %: % is a member of %', member_name, group_name, group_name, member_name
      USING ERRCODE = 'invalid_grant_operation';
  END IF;
  EXECUTE format('GRANT %I TO %I', group_name, member_name);
  PERFORM pangolin_private.record_role_change('memberships', member_name, 'GRANT',
                                              jsonb_build_object('group', group_name));
END $$;

-- Answers whether the member was in the group directly (false: nothing to remove).
CREATE OR REPLACE FUNCTION pangolin.remove_member(group_name name, member_name name) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  what text := format('removing %s from group %s', member_name, group_name);
  g oid;
BEGIN
  PERFORM pangolin_private.require_role_admin(what);
  g := pangolin_private.managed_principal(group_name, what);
  PERFORM pangolin_private.require_role_name(member_name);
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.member
                 WHERE m.roleid = g AND r.rolname = member_name) THEN
    RETURN false;
  END IF;
  EXECUTE format('REVOKE %I FROM %I', group_name, member_name);
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m JOIN pg_catalog.pg_roles r ON r.oid = m.member
             WHERE m.roleid = g AND r.rolname = member_name) THEN
    RAISE EXCEPTION 'Cannot remove % from group %: the membership was granted by another role', member_name,
      group_name USING ERRCODE = 'insufficient_privilege',
      HINT = format('A superuser removes it: REVOKE %I FROM %I GRANTED BY <grantor>', group_name, member_name);
  END IF;
  PERFORM pangolin_private.record_role_change('memberships', member_name, 'REVOKE',
                                              jsonb_build_object('group', group_name));
  RETURN true;
END $$;

-- The principal's grants and tenant administrator rows (pangolin.forget_principal, audited row by row), then the
-- role, in one transaction: a role made later under the same name starts with nothing. Answers the grants removed.
CREATE OR REPLACE FUNCTION pangolin.drop_principal(role_name name) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM pangolin_private.require_role_admin('dropping principal ' || coalesce(role_name, ''));
  PERFORM pangolin_private.managed_principal(role_name, 'dropping principal ' || role_name);
  removed := pangolin.forget_principal(role_name);
  EXECUTE format('DROP ROLE %I', role_name);
  PERFORM pangolin_private.record_role_change('principals', role_name, 'DROP',
                                              jsonb_build_object('grants_removed', removed));
  RETURN removed;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin_private.record_role_change(text, text, text, jsonb) TO pangolin_role_admin;
GRANT EXECUTE ON FUNCTION
    pangolin.create_principal(name, text), pangolin.create_group(name), pangolin.adopt_principal(name),
    pangolin.set_principal_bounds(name, jsonb), pangolin.add_member(name, name), pangolin.remove_member(name, name),
    pangolin.drop_principal(name)
  TO pangolin_platform_admin;
