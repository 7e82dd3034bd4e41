-- Who is asking, what it holds, what it sees; the one refusal and the input bounds every function uses.
--
-- Conventions of every R__ file: objects are created by pangolin_owner (so PUBLIC can execute none of them, by
-- V12's default privileges); a SECURITY DEFINER function sets search_path ending with pg_temp; helpers that only
-- definer functions call live in pangolin_private, where principals cannot reach them; EXECUTE is granted per
-- function at the end of each file.
SET ROLE pangolin_owner;

-- For a login of pangolin serve (a member of pangolin_endpoint): the principal it acts for, as pangolin.act_as
-- (R__16) recorded it in this session's temporary table, which only the owner can create or write; a refusal when
-- it acts for no one, so the endpoint's login can do nothing by itself. A superuser (a member of every role) that
-- acts for no one is itself.
CREATE OR REPLACE FUNCTION pangolin.delegated_principal() RETURNS name
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  acting regclass := to_regclass('pg_temp.pangolin_acting');
  who name;
BEGIN
  IF acting IS NOT NULL
     AND (SELECT c.relowner FROM pg_class c WHERE c.oid = acting) = 'pangolin_owner'::regrole THEN
    SELECT a.principal INTO who FROM pg_temp.pangolin_acting a;
  END IF;
  IF who IS NOT NULL THEN
    RETURN who;
  END IF;
  IF (SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user) THEN
    RETURN session_user;
  END IF;
  RAISE EXCEPTION 'permission denied: % is a login of pangolin serve, which acts only for an authenticated'
                  ' principal', session_user USING ERRCODE = 'insufficient_privilege';
END $$;

-- The acting principal, for every decision: the authenticated login, or the principal pangolin serve's login acts
-- for. Inside a definer function current_user is the owner, and SET ROLE cannot change session_user, so a member
-- role never narrows or widens a session. SQL, so that a principal's own session pays one membership test more
-- than session_user alone.
CREATE OR REPLACE FUNCTION pangolin.acting_principal() RETURNS name
  LANGUAGE sql STABLE
  AS $$
  SELECT CASE WHEN pg_catalog.pg_has_role(session_user, 'pangolin_endpoint', 'MEMBER')
              THEN pangolin.delegated_principal() ELSE session_user END
$$;

-- Whether the acting principal holds a role's rights (inherited membership: PostgreSQL's USAGE test).
CREATE OR REPLACE FUNCTION pangolin.is_member(role_name name) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT coalesce(pg_catalog.pg_has_role(pangolin.acting_principal(),
                                         pg_catalog.to_regrole(pg_catalog.quote_ident(role_name)), 'USAGE'), false)
$$;

-- PL/pgSQL so that the look-up's plan is kept for the session (a SQL function with a sub-select is planned again at
-- every call, which cost more than the look-up).
CREATE OR REPLACE FUNCTION pangolin_private.is_superuser() RETURNS boolean
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_catalog.pg_roles r
                   WHERE r.rolname = pangolin.acting_principal()), false);
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.my_grants()
  RETURNS TABLE (catalog_id bigint, namespace_id bigint, relation_id bigint, privilege text)
  LANGUAGE sql STABLE ROWS 10
  AS $$
  SELECT g.catalog_id, g.namespace_id, g.relation_id, g.privilege FROM pangolin.grants g
  WHERE g.grantee IN (SELECT r.rolname FROM pg_catalog.pg_roles r
                      WHERE pg_catalog.pg_has_role(pangolin.acting_principal(), r.oid, 'USAGE'))
$$;

-- Every privilege the acting principal holds on one object, by index: its tenant's administrators, grants on the
-- catalog, on the relation, and on the namespace and each ancestor. The walk up the parents ends: V12 makes a
-- parent's levels a strict prefix of its child's, within 16 levels.
CREATE OR REPLACE FUNCTION pangolin_private.privileges_held(catalog bigint, namespace bigint, relation bigint)
  RETURNS SETOF text
  LANGUAGE sql STABLE
  AS $$
  SELECT 'SUPERUSER' FROM pg_catalog.pg_roles u
  WHERE u.rolname = pangolin.acting_principal() AND (u.rolsuper OR u.rolbypassrls)
  UNION ALL
  SELECT 'ADMIN' FROM pangolin.catalogs c JOIN pangolin.tenant_admins a ON a.tenant_id = c.tenant_id
  WHERE c.id = catalog AND pangolin.is_member(a.role_name)
  UNION ALL
  SELECT g.privilege FROM pangolin.grants g
  WHERE g.catalog_id = catalog AND g.namespace_id IS NULL AND pangolin.is_member(g.grantee)
  UNION ALL
  SELECT g.privilege FROM pangolin.grants g
  WHERE g.relation_id = relation AND g.catalog_id = catalog AND pangolin.is_member(g.grantee)
  UNION ALL
  -- OFFSET 0 keeps each step a lookup by key: the planner cannot tell that the chain is a few rows long.
  (WITH RECURSIVE up (id, parent_id, depth) AS (
     SELECT t.id, t.parent_id, 1 FROM pangolin.namespaces t WHERE t.id = namespace AND t.catalog_id = catalog
     UNION ALL
     SELECT a.id, a.parent_id, up.depth + 1
     FROM up, LATERAL (SELECT n.id, n.parent_id FROM pangolin.namespaces n WHERE n.id = up.parent_id OFFSET 0) a
     WHERE up.depth < 16)
   SELECT g.privilege
   FROM up, LATERAL (SELECT g.privilege FROM pangolin.grants g
                     WHERE g.namespace_id = up.id AND g.relation_id IS NULL AND pangolin.is_member(g.grantee)
                     OFFSET 0) g)
$$;

-- The nearest namespace of a catalog at or above the given levels: what governs an object by its levels (a
-- namespace that exists only on a branch, or a parent still to be created).
CREATE OR REPLACE FUNCTION pangolin_private.namespace_anchor(catalog bigint, ns_levels text[]) RETURNS bigint
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN (SELECT n.id FROM pangolin.namespaces n
          WHERE n.catalog_id = catalog AND n.levels[1] = ns_levels[1]
            AND pg_catalog.cardinality(n.levels) <= pg_catalog.cardinality(ns_levels)
            AND n.levels = ns_levels[1:pg_catalog.cardinality(n.levels)]
          ORDER BY pg_catalog.cardinality(n.levels) DESC LIMIT 1);
END $$;

-- May the acting principal use this privilege on the object? Superusers and the tenant's administrators may.
-- holds() is for the definer functions, may() the same answer for the policies (which need a function a principal
-- may execute). PL/pgSQL, not SQL: its statement's plan, with privileges_held inlined, is kept for the session,
-- where a SQL function with a sub-select would be planned again at every call.
CREATE OR REPLACE FUNCTION pangolin_private.holds(privilege text, catalog bigint, namespace bigint, relation bigint)
  RETURNS boolean
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM pangolin_private.privileges_held(catalog, namespace, relation) p
                 WHERE p OPERATOR(pg_catalog.=) ANY (ARRAY[privilege, 'ADMIN', 'SUPERUSER']));
END $$;

CREATE OR REPLACE FUNCTION pangolin.may(privilege text, catalog bigint, namespace bigint, relation bigint)
  RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN pangolin_private.holds(privilege, catalog, namespace, relation);
END $$;

CREATE OR REPLACE FUNCTION pangolin.is_tenant_admin(tenant bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (SELECT EXISTS (SELECT 1 FROM pangolin.tenant_admins a WHERE a.tenant_id = tenant AND pangolin.is_member(a.role_name)));
END $$;

-- Visibility: a catalog, namespace or relation is seen by whoever holds any privilege on it, on an ancestor, or
-- (to navigate to it) on a descendant.
CREATE OR REPLACE FUNCTION pangolin.sees(catalog bigint, namespace bigint, relation bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM privileges_held(catalog, namespace, relation)) THEN
    RETURN true;
  END IF;
  IF namespace IS NULL THEN
    RETURN EXISTS (SELECT 1 FROM my_grants() g WHERE g.catalog_id = catalog);
  END IF;
  RETURN relation IS NULL
     AND EXISTS (SELECT 1
                 FROM my_grants() g
                 LEFT JOIN relations gr ON gr.id = g.relation_id
                 JOIN namespaces gn ON gn.id = coalesce(gr.namespace_id, g.namespace_id)
                 JOIN namespaces t ON t.id = namespace
                 WHERE g.catalog_id = catalog AND t.catalog_id = catalog AND levels_within(gn.levels, t.levels));
END $$;

CREATE OR REPLACE FUNCTION pangolin.levels_within(inner_levels text[], outer_levels text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT pg_catalog.cardinality(inner_levels) >= pg_catalog.cardinality(outer_levels)
     AND inner_levels[1:pg_catalog.cardinality(outer_levels)] OPERATOR(pg_catalog.=) outer_levels
$$;

CREATE OR REPLACE FUNCTION pangolin.sees_tenant(tenant bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (SELECT is_tenant_admin(tenant) OR is_member('pangolin_platform_admin')
        OR EXISTS (SELECT 1 FROM catalogs c WHERE c.tenant_id = tenant AND sees(c.id, NULL, NULL)));
END $$;

CREATE OR REPLACE FUNCTION pangolin.sees_warehouse(warehouse bigint, tenant bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (SELECT is_tenant_admin(tenant)
        OR EXISTS (SELECT 1 FROM catalogs c WHERE c.warehouse_id = warehouse AND c.tenant_id = tenant
                                              AND sees(c.id, NULL, NULL)));
END $$;

-- The sets behind the namespace and relation read policies, worked out once per statement from the acting
-- principal's own grants, so a listing costs no more as other principals' grants grow.
CREATE OR REPLACE FUNCTION pangolin.catalogs_seen_whole() RETURNS bigint[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(c.id), '{}') FROM catalogs c
    WHERE c.tenant_id IN (SELECT a.tenant_id FROM tenant_admins a WHERE is_member(a.role_name))
       OR c.id IN (SELECT g.catalog_id FROM my_grants() g WHERE g.namespace_id IS NULL));
END $$;

CREATE OR REPLACE FUNCTION pangolin.namespaces_seen_whole() RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT n.id
    FROM my_grants() g
    JOIN namespaces gn ON gn.id = g.namespace_id
    JOIN namespaces n ON n.catalog_id = g.catalog_id AND n.levels[1] = gn.levels[1]
                     AND n.levels[1:cardinality(gn.levels)] = gn.levels
    WHERE g.relation_id IS NULL;
END $$;

CREATE OR REPLACE FUNCTION pangolin.namespaces_seen_in_part() RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT namespaces_seen_whole()
    UNION
    SELECT n.id
    FROM my_grants() g
    LEFT JOIN relations gr ON gr.id = g.relation_id
    JOIN namespaces gn ON gn.id = coalesce(gr.namespace_id, g.namespace_id)
    CROSS JOIN generate_series(1, cardinality(gn.levels)) depth
    JOIN namespaces n ON n.catalog_id = g.catalog_id AND n.levels = gn.levels[1:depth]
    WHERE g.namespace_id IS NOT NULL;
END $$;

CREATE OR REPLACE FUNCTION pangolin.relation_namespaces_seen() RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT n.id FROM namespaces n WHERE n.catalog_id = ANY (catalogs_seen_whole())
    UNION ALL
    SELECT namespaces_seen_whole();
END $$;

CREATE OR REPLACE FUNCTION pangolin.relations_granted() RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT gr.id
    FROM my_grants() g
    JOIN relations gr ON gr.id = g.relation_id
    JOIN namespaces n ON n.id = gr.namespace_id AND n.catalog_id = g.catalog_id;
END $$;

-- A dropped table or view is seen by whoever may collect or restore it there, or sees its namespace.
CREATE OR REPLACE FUNCTION pangolin.sees_dropped(catalog bigint, levels text[]) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (WITH ns AS (SELECT (SELECT n.id FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = sees_dropped.levels)
                       AS id)
    SELECT holds('GC', catalog, NULL, NULL) OR holds('UNDROP', catalog, namespace_anchor(catalog, levels), NULL)
        OR (ns.id IS NOT NULL AND sees(catalog, ns.id, NULL))
    FROM ns);
END $$;

-- A branch's own row: seen as main's row of the same name would be; a namespace that exists only on the branch is
-- seen by whoever holds a table privilege on its nearest namespace on main.
CREATE OR REPLACE FUNCTION pangolin.sees_ref_relation(catalog bigint, ns_levels text[], rel_name text)
  RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN (SELECT CASE WHEN n.levels = ns_levels
             THEN sees(catalog, n.id, (SELECT r.id FROM relations r WHERE r.namespace_id = n.id AND r.name = rel_name))
             ELSE EXISTS (SELECT 1 FROM unnest(ARRAY['READ', 'WRITE', 'CREATE', 'DROP']) p (privilege)
                          WHERE holds(p.privilege, catalog, n.id, NULL))
           END
    FROM (SELECT namespace_anchor(catalog, ns_levels) AS id) a LEFT JOIN namespaces n ON n.id = a.id);
END $$;

-- The one refusal: names the acting principal, the privilege and the object as the caller named it (shortened),
-- never an object of another tenant that the caller did not name.
CREATE OR REPLACE FUNCTION pangolin_private.refuse(privilege text, what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  RAISE EXCEPTION 'permission denied: principal % lacks % on %', pangolin.acting_principal(), privilege,
    pangolin_private.shown(what) USING ERRCODE = 'insufficient_privilege';
END $$;

-- A caller's input as a message may show it: at most 200 characters.
CREATE OR REPLACE FUNCTION pangolin_private.shown(input text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT CASE WHEN pg_catalog.length(input) > 200
              THEN pg_catalog.left(input, 200) OPERATOR(pg_catalog.||) '... (cut)' ELSE input END
$$;

-- Input bounds, checked before anything else so that no input is echoed, stored or walked without limit.
CREATE OR REPLACE FUNCTION pangolin_private.require_levels(ns_levels text[], allow_empty boolean DEFAULT false)
  RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF ns_levels IS NULL OR pg_catalog.array_ndims(ns_levels) > 1
     OR pg_catalog.cardinality(ns_levels) OPERATOR(pg_catalog.>) 16
     OR (NOT allow_empty AND pg_catalog.cardinality(ns_levels) OPERATOR(pg_catalog.=) 0)
     OR pg_catalog.array_position(ns_levels, NULL) IS NOT NULL
     OR EXISTS (SELECT 1 FROM pg_catalog.unnest(ns_levels) l
                WHERE pg_catalog.length(l) OPERATOR(pg_catalog.=) 0 OR pg_catalog.length(l) OPERATOR(pg_catalog.>) 255)
  THEN
    RAISE EXCEPTION 'Invalid namespace %: a namespace has 1 to 16 levels of 1 to 255 characters each',
      pangolin_private.shown(pg_catalog.array_to_string(ns_levels, '.', '<null>'))
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.require_text(what text, input text, max_length integer) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF input IS NULL OR pg_catalog.length(input) OPERATOR(pg_catalog.=) 0
     OR pg_catalog.length(input) OPERATOR(pg_catalog.>) max_length THEN
    RAISE EXCEPTION 'Invalid %: % (1 to % characters)', what, coalesce(pangolin_private.shown(input), 'none'),
      max_length USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

RESET ROLE;

GRANT USAGE ON SCHEMA pangolin_private TO pangolin_owner;
-- Every role whose work names the acting principal (column defaults included) runs these two.
GRANT EXECUTE ON FUNCTION pangolin.acting_principal(), pangolin.delegated_principal()
  TO pangolin_principal, pangolin_platform_admin, pangolin_role_admin;
GRANT EXECUTE ON FUNCTION
    pangolin.is_member(name), pangolin.may(text, bigint, bigint, bigint),
    pangolin.is_tenant_admin(bigint), pangolin.sees(bigint, bigint, bigint), pangolin.levels_within(text[], text[]),
    pangolin.sees_tenant(bigint), pangolin.sees_warehouse(bigint, bigint), pangolin.catalogs_seen_whole(),
    pangolin.namespaces_seen_whole(), pangolin.namespaces_seen_in_part(), pangolin.relation_namespaces_seen(),
    pangolin.relations_granted(), pangolin.sees_dropped(bigint, text[]),
    pangolin.sees_ref_relation(bigint, text[], text)
  TO pangolin_principal, pangolin_platform_admin;

-- Who made a row is the acting principal, not the login that wrote it (pangolin serve's, when it acts for one).
ALTER TABLE pangolin.grants ALTER COLUMN granted_by SET DEFAULT pangolin.acting_principal();
ALTER TABLE pangolin.audit_log ALTER COLUMN principal SET DEFAULT pangolin.acting_principal();
ALTER TABLE pangolin.dropped_relations ALTER COLUMN dropped_by SET DEFAULT pangolin.acting_principal();
ALTER TABLE pangolin.refs ALTER COLUMN created_by SET DEFAULT pangolin.acting_principal();
ALTER TABLE pangolin.platform_settings ALTER COLUMN updated_by SET DEFAULT pangolin.acting_principal();
