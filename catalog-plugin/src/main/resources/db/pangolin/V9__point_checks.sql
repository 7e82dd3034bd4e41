-- The access rules of V4-V6 at the cost of a few index probes for the statements that touch one object: a
-- table load and a commit. V6 made listing cheap by working out, once per statement, every namespace and relation
-- the principal sees; a statement about one table paid for that whole set too (a dozen nested function calls
-- and a scan of pg_roles per call), about ten times the superuser's load. Here the checks about one object ask
-- only about that object: its tenant's administrators, the grants on the catalog, on the namespace and its
-- ancestors, and on the relation, each found by index and each grantee tested with pg_has_role. The listing
-- policies keep V6's set functions.

-- Grants by the object they name: the point checks below, and the cascades when a namespace or relation goes.
CREATE INDEX grants_by_namespace ON grants (namespace_id) WHERE namespace_id IS NOT NULL;
CREATE INDEX grants_by_relation ON grants (relation_id) WHERE relation_id IS NOT NULL;
CREATE INDEX grants_on_catalog ON grants (catalog_id) WHERE namespace_id IS NULL;

-- Whether the session's login inherits the rights of role_name (is_member's rule); false for a role that no
-- longer exists. Plain SQL without SET, so that PostgreSQL inlines it into the statements that call it.
CREATE FUNCTION is_mine(role_name name) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT coalesce(pg_catalog.pg_has_role(session_user, pg_catalog.to_regrole(pg_catalog.quote_ident(role_name)),
                                         'USAGE'), false)
$$;

-- The privileges the session's login holds on relation (NULL: the namespace itself) in namespace (NULL: the
-- catalog itself) of catalog, from the object up: by grants on the catalog, on the namespace or one of its
-- ancestors, or on the relation; 'ADMIN' (every privilege) as its tenant's administrator, and 'SUPERUSER' (every
-- privilege, no location check) as a login that bypasses row-level security. A set-returning SQL function without SECURITY DEFINER or SET, so that PostgreSQL
-- inlines it into the calling statement: one plan, which PL/pgSQL callers keep for the session. Called directly,
-- it runs as the caller and the policies on grants apply.
CREATE FUNCTION privileges_held(catalog bigint, namespace bigint, relation bigint) RETURNS SETOF text
LANGUAGE sql STABLE AS $$
  SELECT 'SUPERUSER' FROM pg_catalog.pg_roles u WHERE u.rolname = session_user AND (u.rolsuper OR u.rolbypassrls)
  UNION ALL
  SELECT 'ADMIN' FROM pangolin.catalogs c JOIN pangolin.tenant_admins a ON a.tenant_id = c.tenant_id
  WHERE c.id = catalog AND pangolin.is_mine(a.role_name)
  UNION ALL
  SELECT g.privilege FROM pangolin.grants g
  WHERE g.catalog_id = catalog AND g.namespace_id IS NULL AND pangolin.is_mine(g.grantee)
  UNION ALL
  SELECT g.privilege FROM pangolin.grants g
  WHERE g.relation_id = relation AND g.catalog_id = catalog AND pangolin.is_mine(g.grantee)
  UNION ALL
  -- OFFSET 0 keeps each step a lookup by key: the planner cannot tell that the chain is a few rows long.
  (WITH RECURSIVE up (id, parent_id) AS (
     SELECT t.id, t.parent_id FROM pangolin.namespaces t WHERE t.id = namespace AND t.catalog_id = catalog
     UNION ALL
     SELECT a.id, a.parent_id
     FROM up, LATERAL (SELECT n.id, n.parent_id FROM pangolin.namespaces n WHERE n.id = up.parent_id OFFSET 0) a)
   SELECT g.privilege
   FROM up, LATERAL (SELECT g.privilege FROM pangolin.grants g
                     WHERE g.namespace_id = up.id AND g.relation_id IS NULL AND pangolin.is_mine(g.grantee)
                     OFFSET 0) g)
$$;

-- Whether the session's login is a superuser or bypasses row-level security: the triggers and functions that run
-- as the owner give such logins what the policies would.
CREATE FUNCTION bypasses_policies() RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user), false);
END $$;

CREATE OR REPLACE FUNCTION is_tenant_admin(tenant bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM tenant_admins a WHERE a.tenant_id = tenant AND is_mine(a.role_name));
END $$;

CREATE OR REPLACE FUNCTION may(privilege text, catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM privileges_held(catalog, namespace, relation) p WHERE p IN (may.privilege, 'ADMIN', 'SUPERUSER'));
END $$;

-- sees(): any privilege held from the object up, which settles loads and commits by index; failing that, so that
-- a principal can navigate to what it may use, any grant of its in the catalog (for the catalog itself) or on
-- something in or below the namespace (for a namespace), from the principal's own grants.
CREATE OR REPLACE FUNCTION sees(catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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
                 WHERE g.catalog_id = catalog AND levels_within(gn.levels, t.levels));
END $$;

-- The plugin's load of one table or view on main: the pointer when the principal sees it, else no row (the same
-- answer as a name that does not exist, as the read policy gives). The warehouse's configuration version is
-- answered only for the catalog's own warehouse.
CREATE FUNCTION load_pointer(warehouse bigint, catalog bigint, ns_levels text[], rel_name text)
RETURNS TABLE (kind text, metadata_location text, warehouse_version bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN QUERY
    SELECT r.kind, r.metadata_location,
           (SELECT w.config_version FROM catalogs c JOIN warehouses w ON w.id = c.warehouse_id
            WHERE c.id = catalog AND w.id = warehouse)
    FROM namespaces n JOIN relations r ON r.namespace_id = n.id
    WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name
      AND EXISTS (SELECT 1 FROM privileges_held(catalog, n.id, r.id));
END $$;

-- The plugin's commit on main: the compare-and-swap of one pointer. Returns 1 when it moved, 0 when the principal
-- does not see the table or view or it no longer holds expected (a lost race). A visible one the principal may not
-- write is refused with 42501, so a refusal is never mistaken for a lost race. The UPDATE runs as the owner, so
-- no read policy is worked out for it; the pointer-location check and the audit trail are triggers and still run.
CREATE FUNCTION swap_pointer(next text, catalog bigint, ns_levels text[], rel_name text, rel_kind text,
                             expected text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  target record;
  moved integer;
BEGIN
  SELECT n.id AS namespace_id, r.id, ARRAY(SELECT p FROM privileges_held(catalog, n.id, r.id) p) AS held
  INTO target
  FROM namespaces n JOIN relations r ON r.namespace_id = n.id
  WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name AND r.kind = rel_kind;
  IF NOT FOUND OR cardinality(target.held) = 0 THEN
    RETURN 0;
  END IF;
  IF NOT target.held && ARRAY['WRITE', 'ADMIN', 'SUPERUSER'] THEN
    RAISE EXCEPTION 'permission denied: principal % lacks WRITE on % %.%', session_user, lower(rel_kind),
      array_to_string(ns_levels, '.'), rel_name USING ERRCODE = 'insufficient_privilege';
  END IF;
  UPDATE relations r
  SET metadata_location = next, previous_metadata_location = r.metadata_location, updated_at = now()
  WHERE r.id = target.id AND r.metadata_location = expected;
  GET DIAGNOSTICS moved = ROW_COUNT;
  RETURN moved;
END $$;

-- V8's check for pointers on refs now carries V4's hint, and V4's trigger for main's pointers calls it, so the
-- rule for where a pointer may go is written once.
CREATE OR REPLACE FUNCTION require_location_in_warehouse(catalog bigint, location text, rel_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  w record;
BEGIN
  IF location IS NULL OR bypasses_policies() THEN
    RETURN;
  END IF;
  SELECT wh.name, wh.storage_root, wh.allowed_locations INTO w
  FROM catalogs c JOIN warehouses wh ON wh.id = c.warehouse_id WHERE c.id = catalog;
  IF location ~* '(^|/)\.\.?(/|$)|%2e|%2f|%5c|\\'
     OR NOT EXISTS (SELECT 1 FROM unnest(w.storage_root || w.allowed_locations) p
                    WHERE starts_with(location, rtrim(p, '/') || '/')) THEN
    RAISE EXCEPTION 'Metadata location "%" of % is outside warehouse "%"', location, rel_name, w.name
      USING ERRCODE = 'check_violation',
            HINT = format('Use a location under %s or one of the warehouse''s allowed locations, without "." or ".."'
                          ' segments or percent-encoded dots.', w.storage_root);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION check_pointer_location() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  target record;
BEGIN
  SELECT n.catalog_id,
         ARRAY(SELECT p FROM privileges_held(n.catalog_id, n.id, CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE NEW.id END) p)
           AS held
  INTO target
  FROM namespaces n WHERE n.id = NEW.namespace_id;
  -- BEFORE triggers run ahead of the policies' WITH CHECK: leave a principal without the privilege to the policy,
  -- so that it is told "permission denied" rather than where pointers may go.
  IF 'SUPERUSER' = ANY (target.held)
     OR NOT target.held && ARRAY[CASE TG_OP WHEN 'INSERT' THEN 'CREATE' ELSE 'WRITE' END, 'ADMIN'] THEN
    RETURN NEW;
  END IF;
  PERFORM require_location_in_warehouse(target.catalog_id, NEW.metadata_location, NEW.name);
  RETURN NEW;
END $$;

-- A database without branches or tags pins nothing; main's commits skip the namespace lookup.
CREATE OR REPLACE FUNCTION pin_main_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  ns record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM refs) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.metadata_location IS DISTINCT FROM NEW.metadata_location
                            OR OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id) THEN
    SELECT n.catalog_id, n.levels INTO ns FROM namespaces n WHERE n.id = OLD.namespace_id;
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    SELECT f.id, ns.catalog_id, ns.levels, OLD.name, OLD.kind, OLD.metadata_location, OLD.metadata_location
    FROM refs f WHERE f.catalog_id = ns.catalog_id AND f.parent_id IS NULL
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id)) THEN
    SELECT n.catalog_id, n.levels INTO ns FROM namespaces n WHERE n.id = NEW.namespace_id;
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    SELECT f.id, ns.catalog_id, ns.levels, NEW.name, NEW.kind, NULL, NULL
    FROM refs f WHERE f.catalog_id = ns.catalog_id AND f.parent_id IS NULL
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

ALTER FUNCTION is_mine(name) OWNER TO pangolin_owner;
ALTER FUNCTION bypasses_policies() OWNER TO pangolin_owner;
ALTER FUNCTION privileges_held(bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION load_pointer(bigint, bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION swap_pointer(text, bigint, text[], text, text, text) OWNER TO pangolin_owner;
