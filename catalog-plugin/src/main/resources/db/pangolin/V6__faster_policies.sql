-- The same access rules as V4, at a cost that does not grow with the rows a statement reads or with the grants
-- other principals hold. V4's read policies call a SECURITY DEFINER function per row, which PostgreSQL cannot
-- inline, and that function tests every grant of the catalog with a membership lookup of its own: listing a
-- namespace of 10,000 tables as a principal took minutes once the catalog held a few thousand grants. Here a
-- statement works out once what the session's principal sees (uncorrelated sub-selects, which run once per
-- statement as InitPlans or hashed SubPlans), and each row costs one lookup in that.
--
-- The functions are PL/pgSQL rather than SQL: PostgreSQL plans a SQL function's body anew in every statement that
-- calls it, while PL/pgSQL keeps its plans for the session, which is what keeps a one-row load close to the
-- superuser's.

-- Whom the grants reach: the session's login and every role it is a member of, as is_member() decides.
CREATE FUNCTION my_roles() RETURNS SETOF name
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin ROWS 10 AS $$
BEGIN
  RETURN QUERY SELECT r.rolname FROM pg_roles r WHERE pg_has_role(session_user, r.oid, 'USAGE');
END $$;

CREATE INDEX grants_by_grantee ON grants (grantee, catalog_id);
-- Finds the namespaces under a granted one among the catalog's others without testing each.
CREATE INDEX namespaces_by_top_level ON namespaces (catalog_id, (levels[1]));

-- The grants that reach the session's principal. ROWS tells the planner that they are few, so that the functions
-- below look up the objects they name by key instead of scanning relations.
CREATE FUNCTION my_grants() RETURNS TABLE (catalog_id bigint, namespace_id bigint, relation_id bigint, privilege text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin ROWS 10 AS $$
BEGIN
  RETURN QUERY SELECT g.catalog_id, g.namespace_id, g.relation_id, g.privilege
               FROM grants g WHERE g.grantee IN (SELECT my_roles());
END $$;

-- Catalogs whose every namespace and relation the principal sees: it administers their tenant, or holds a grant on
-- the catalog itself.
CREATE FUNCTION catalogs_seen_whole() RETURNS bigint[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(c.id), '{}') FROM catalogs c
          WHERE c.tenant_id IN (SELECT a.tenant_id FROM tenant_admins a WHERE a.role_name IN (SELECT my_roles()))
             OR c.id IN (SELECT g.catalog_id FROM my_grants() g WHERE g.namespace_id IS NULL));
END $$;

-- Namespaces whose every relation the principal sees through a namespace grant: the granted ones and, by level
-- prefix, everything under them.
CREATE FUNCTION namespaces_seen_whole() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN QUERY
    SELECT n.id
    FROM my_grants() g
    JOIN namespaces gn ON gn.id = g.namespace_id
    JOIN namespaces n ON n.catalog_id = g.catalog_id AND n.levels[1] = gn.levels[1]
                     AND n.levels[1:cardinality(gn.levels)] = gn.levels
    WHERE g.relation_id IS NULL;
END $$;

-- Namespaces the principal sees beyond whole catalogs: those above and below its namespace grants, and those
-- holding (or above) a relation it has a grant on, so that it can navigate to what it may use.
CREATE FUNCTION namespaces_seen_in_part() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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

-- Namespaces whose every relation the principal sees, whole catalogs included.
CREATE FUNCTION relation_namespaces_seen() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN QUERY
    SELECT n.id FROM namespaces n WHERE n.catalog_id = ANY (catalogs_seen_whole())
    UNION ALL
    SELECT namespaces_seen_whole();
END $$;

-- Relations the principal holds a grant on itself, while they stay in the catalog the grant names.
CREATE FUNCTION relations_granted() RETURNS SETOF bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN QUERY
    SELECT gr.id
    FROM my_grants() g
    JOIN relations gr ON gr.id = g.relation_id
    JOIN namespaces n ON n.id = gr.namespace_id AND n.catalog_id = g.catalog_id;
END $$;

-- V4's functions for one object keep their meaning and every caller (the write policies, the triggers,
-- grant_privilege); they now read only the principal's own grants, and keep their plans for the session.
CREATE OR REPLACE FUNCTION is_tenant_admin(tenant bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN EXISTS (SELECT 1 FROM tenant_admins a WHERE a.tenant_id = tenant AND a.role_name IN (SELECT my_roles()));
END $$;

CREATE OR REPLACE FUNCTION relation_catalog(namespace bigint) RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN (SELECT n.catalog_id FROM namespaces n WHERE n.id = namespace);
END $$;

CREATE OR REPLACE FUNCTION may(privilege text, catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN is_tenant_admin((SELECT c.tenant_id FROM catalogs c WHERE c.id = catalog))
      OR EXISTS (
        SELECT 1 FROM my_grants() g LEFT JOIN namespaces gn ON gn.id = g.namespace_id
        WHERE g.catalog_id = catalog AND g.privilege = may.privilege
          AND CASE
                WHEN g.relation_id IS NOT NULL THEN g.relation_id = relation
                WHEN g.namespace_id IS NULL THEN true
                ELSE namespace IS NOT NULL
                     AND levels_within((SELECT n.levels FROM namespaces n WHERE n.id = namespace), gn.levels)
              END);
END $$;

CREATE OR REPLACE FUNCTION sees(catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  target text[] := (SELECT n.levels FROM namespaces n WHERE n.id = namespace);
BEGIN
  RETURN is_tenant_admin((SELECT c.tenant_id FROM catalogs c WHERE c.id = catalog))
      OR EXISTS (
        SELECT 1 FROM my_grants() g
        LEFT JOIN relations gr ON gr.id = g.relation_id
        LEFT JOIN namespaces gn ON gn.id = coalesce(gr.namespace_id, g.namespace_id)
        WHERE g.catalog_id = catalog
          AND CASE
                WHEN namespace IS NULL OR g.namespace_id IS NULL THEN true
                WHEN g.relation_id IS NOT NULL THEN g.relation_id = relation
                                                 OR (relation IS NULL AND levels_within(gn.levels, target))
                ELSE levels_within(target, gn.levels)
                     OR (relation IS NULL AND levels_within(gn.levels, target))
              END);
END $$;

CREATE OR REPLACE FUNCTION sees_warehouse(warehouse bigint, tenant bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RETURN is_tenant_admin(tenant)
      OR EXISTS (SELECT 1 FROM catalogs c WHERE c.warehouse_id = warehouse AND sees(c.id, NULL, NULL));
END $$;

-- Reading namespaces and relations, the statements that touch many rows: sees() per row, restated over the sets
-- above. The write policies keep calling may() and sees() for the rows they change.
ALTER POLICY namespaces_read ON namespaces
  USING (catalog_id = ANY ((SELECT catalogs_seen_whole())::bigint[]) OR id IN (SELECT namespaces_seen_in_part()));

ALTER POLICY relations_read ON relations
  USING (namespace_id IN (SELECT relation_namespaces_seen()) OR id IN (SELECT relations_granted()));

ALTER FUNCTION my_roles() OWNER TO pangolin_owner;
ALTER FUNCTION my_grants() OWNER TO pangolin_owner;
ALTER FUNCTION catalogs_seen_whole() OWNER TO pangolin_owner;
ALTER FUNCTION namespaces_seen_whole() OWNER TO pangolin_owner;
ALTER FUNCTION namespaces_seen_in_part() OWNER TO pangolin_owner;
ALTER FUNCTION relation_namespaces_seen() OWNER TO pangolin_owner;
ALTER FUNCTION relations_granted() OWNER TO pangolin_owner;
