-- The database boundary. From here on a versioned migration holds only tables, columns, data and roles; every
-- function, policy, trigger and view is defined once, in the repeatable migrations R__<nn>_<concern>.sql, which
-- Flyway applies after this one (and again whenever one of them changes).
--
-- 1. Forget every definition V2-V11 made: about 30 functions were redefined two or three times there. The
--    repeatable migrations define the current set; a test proves that a fresh database and one upgraded from V11
--    end with the same definitions.
DO $$
DECLARE
  f regprocedure;
  p record;
BEGIN
  FOR p IN SELECT schemaname, tablename, policyname FROM pg_policies WHERE schemaname = 'pangolin' LOOP
    EXECUTE format('DROP POLICY %I ON %I.%I', p.policyname, p.schemaname, p.tablename);
  END LOOP;
  FOR f IN SELECT pr.oid::regprocedure FROM pg_proc pr JOIN pg_namespace n ON n.oid = pr.pronamespace
           WHERE n.nspname IN ('pangolin', 'pangolin_jdbc') LOOP
    -- CASCADE takes the triggers along; no constraint, index or column uses these functions.
    EXECUTE format('DROP FUNCTION %s CASCADE', f);
  END LOOP;
END $$;
DROP VIEW pangolin_jdbc.iceberg_tables;
DROP VIEW pangolin_jdbc.iceberg_namespace_properties;

-- 2. Internal helpers live where principals cannot even name them. The owner creates every definition (the
--    repeatable migrations run as it), so the default privileges below keep PUBLIC from executing any of them:
--    EXECUTE is granted one documented function at a time.
CREATE SCHEMA pangolin_private AUTHORIZATION pangolin_owner;
REVOKE ALL ON SCHEMA pangolin_private FROM PUBLIC;
GRANT CREATE ON SCHEMA pangolin, pangolin_jdbc TO pangolin_owner;
GRANT USAGE ON SCHEMA pangolin_jdbc TO pangolin_owner;
ALTER DEFAULT PRIVILEGES FOR ROLE pangolin_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER TYPE merge_change OWNER TO pangolin_owner;
ALTER DOMAIN object_name OWNER TO pangolin_owner;

-- 3. One narrow write path: principals read (narrowed by row-level security) and change nothing except by
--    calling a SECURITY DEFINER function. No INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES or TRIGGER on any
--    table, so no raw write and no lock stronger than ACCESS SHARE.
--    Every role's grant goes, not only the principal roles': logins of the time before V4 held table rights
--    directly, and nothing but the owner may keep any.
DO $$
DECLARE
  g record;
BEGIN
  FOR g IN SELECT DISTINCT c.oid::regclass AS rel, a.grantee
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
           WHERE n.nspname = 'pangolin' AND c.relkind IN ('r', 'p', 'S', 'v', 'm') AND a.grantee <> c.relowner LOOP
    IF g.grantee = 0 THEN
      EXECUTE format('REVOKE ALL ON %s FROM PUBLIC', g.rel);
    ELSE
      EXECUTE format('REVOKE ALL ON %s FROM %I', g.rel, g.grantee::regrole::text);
    END IF;
  END LOOP;
END $$;
GRANT SELECT ON tenants, warehouses, catalogs, namespaces, relations, grants, tenant_admins, audit_log,
                dropped_relations, refs, ref_relations, ref_namespaces, schema_history
  TO pangolin_principal, pangolin_platform_admin;

-- 4. Defence in depth, never the only guard (every definer function's search_path ends with pg_temp): no
--    temporary objects and nothing created in schema public by principals.
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;

-- 5. A namespace's levels follow from its parent: the parent is in the same catalog and its levels are this
--    namespace's less the last one, so no cycle, no planted level and no cross-catalog parent can exist, and
--    walking up the parents ends within the bounded depth.
DO $$
DECLARE
  bad text;
BEGIN
  SELECT string_agg(format('%s (id %s)', array_to_string(n.levels, '.'), n.id), ', ') INTO bad
  FROM namespaces n LEFT JOIN namespaces p ON p.id = n.parent_id
  WHERE n.parent_id IS NOT NULL
    AND (p.id IS NULL OR p.catalog_id <> n.catalog_id OR p.levels <> n.levels[1:cardinality(n.levels) - 1])
     OR cardinality(n.levels) > 16;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot migrate: namespaces % have a parent that does not match their levels (or more than 16'
                    ' levels)', left(bad, 2000)
      USING HINT = 'These rows were written around the catalog; drop or re-parent them as a superuser, then migrate again.';
  END IF;
END $$;
ALTER TABLE namespaces
  ADD COLUMN parent_path text[] GENERATED ALWAYS AS (levels[1:cardinality(levels) - 1]) STORED,
  ADD CONSTRAINT namespaces_depth CHECK (cardinality(levels) <= 16),
  ADD CONSTRAINT namespaces_id_catalog_levels UNIQUE (id, catalog_id, levels),
  ADD CONSTRAINT namespaces_parent_matches_levels FOREIGN KEY (parent_id, catalog_id, parent_path)
    REFERENCES namespaces (id, catalog_id, levels) ON DELETE RESTRICT;
