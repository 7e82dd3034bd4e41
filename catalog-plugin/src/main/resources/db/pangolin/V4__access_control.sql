-- Access control enforced by PostgreSQL itself, so that the plugin, Iceberg's JdbcCatalog, Trino and psql
-- with the same login all get the same rights. Principals are login roles; groups are role membership.
-- The tables belong to pangolin_owner, which does not log in; principals reach rows only through the
-- row-level security policies below and the narrow SECURITY DEFINER functions. A superuser (the migrating
-- login in tests) bypasses row-level security and keeps every right it had.

DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['pangolin_owner', 'pangolin_principal', 'pangolin_platform_admin'] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN duplicate_object THEN
        NULL; -- roles are cluster-wide; another database's migration created it first
      END;
    END IF;
  END LOOP;
END $$;

CREATE TABLE tenant_admins (
  tenant_id bigint NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  role_name name NOT NULL,
  PRIMARY KEY (tenant_id, role_name)
);

CREATE TABLE grants (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  catalog_id  bigint NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
  -- For a grant on a relation: the relation's namespace when granted, kept only so its ancestors stay visible.
  namespace_id bigint REFERENCES namespaces (id) ON DELETE CASCADE,
  relation_id bigint REFERENCES relations (id) ON DELETE CASCADE,
  grantee     name NOT NULL,
  privilege   text NOT NULL CHECK (privilege IN ('READ', 'WRITE', 'CREATE', 'DROP', 'MANAGE_GRANTS')),
  granted_by  name NOT NULL DEFAULT session_user,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT relation_grant_names_namespace CHECK (relation_id IS NULL OR namespace_id IS NOT NULL)
);
CREATE UNIQUE INDEX grants_unique ON grants (catalog_id, coalesce(namespace_id, 0), coalesce(relation_id, 0),
                                             grantee, privilege);

CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT clock_timestamp(),
  principal    name NOT NULL DEFAULT session_user,
  tenant_id    bigint,
  object_kind  text NOT NULL,
  object_id    bigint,
  object_name  text,
  action       text NOT NULL,
  old_pointer  text,
  new_pointer  text,
  detail       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_tenant ON audit_log (tenant_id, at);

-- Whom the rules are about. session_user, not current_user: inside these SECURITY DEFINER functions
-- current_user is the owner; session_user is the authenticated login, which SET ROLE cannot change.
CREATE FUNCTION is_member(role_name name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = role_name AND pg_has_role(session_user, r.oid, 'MEMBER'))
$$;

CREATE FUNCTION is_tenant_admin(tenant bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT EXISTS (SELECT 1 FROM tenant_admins a WHERE a.tenant_id = tenant AND is_member(a.role_name))
$$;

CREATE FUNCTION levels_within(inner_levels text[], outer_levels text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog AS $$
  SELECT cardinality(inner_levels) >= cardinality(outer_levels)
     AND inner_levels[1:cardinality(outer_levels)] = outer_levels
$$;

-- Does the session's principal hold the privilege on this catalog, namespace (NULL: the catalog itself) or
-- relation? Grants cascade: one on a catalog or an enclosing namespace covers everything inside, including
-- objects created later. A tenant admin holds every privilege on its tenant's catalogs.
CREATE FUNCTION may(privilege text, catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT is_tenant_admin((SELECT c.tenant_id FROM catalogs c WHERE c.id = catalog))
      OR EXISTS (
        SELECT 1 FROM grants g LEFT JOIN namespaces gn ON gn.id = g.namespace_id
        WHERE g.catalog_id = catalog AND g.privilege = may.privilege AND is_member(g.grantee)
          AND CASE
                WHEN g.relation_id IS NOT NULL THEN g.relation_id = relation
                WHEN g.namespace_id IS NULL THEN true
                ELSE namespace IS NOT NULL
                     AND levels_within((SELECT n.levels FROM namespaces n WHERE n.id = namespace), gn.levels)
              END)
$$;

-- May the session's principal see this object? It may when it holds any privilege on it, on an ancestor or
-- on a descendant, so that it can navigate to what it may use.
CREATE FUNCTION sees(catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH target AS (SELECT (SELECT n.levels FROM namespaces n WHERE n.id = namespace) AS levels)
  SELECT is_tenant_admin((SELECT c.tenant_id FROM catalogs c WHERE c.id = catalog))
      OR EXISTS (
        SELECT 1 FROM target t, grants g
        LEFT JOIN relations gr ON gr.id = g.relation_id
        LEFT JOIN namespaces gn ON gn.id = coalesce(gr.namespace_id, g.namespace_id)
        WHERE g.catalog_id = catalog AND is_member(g.grantee)
          AND CASE
                WHEN namespace IS NULL OR g.namespace_id IS NULL THEN true
                WHEN g.relation_id IS NOT NULL THEN g.relation_id = relation
                                                 OR (relation IS NULL AND levels_within(gn.levels, t.levels))
                ELSE levels_within(t.levels, gn.levels)
                     OR (relation IS NULL AND levels_within(gn.levels, t.levels))
              END)
$$;

CREATE FUNCTION relation_catalog(namespace bigint) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT n.catalog_id FROM namespaces n WHERE n.id = namespace
$$;

CREATE FUNCTION sees_tenant(tenant bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT is_tenant_admin(tenant) OR is_member('pangolin_platform_admin')
      OR EXISTS (SELECT 1 FROM catalogs c WHERE c.tenant_id = tenant AND sees(c.id, NULL, NULL))
$$;

-- A principal receives a warehouse's sealed credentials only through a grant on a catalog that uses it.
CREATE FUNCTION sees_warehouse(warehouse bigint, tenant bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT is_tenant_admin(tenant)
      OR EXISTS (SELECT 1 FROM catalogs c WHERE c.warehouse_id = warehouse AND sees(c.id, NULL, NULL))
$$;

-- A policy cannot refuse a DELETE out loud (it only hides rows), and a drop that silently matched nothing
-- would read as "already gone"; so a visible row the principal may not drop raises instead.
CREATE FUNCTION refuse_unpermitted_delete() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  allowed boolean;
  what text;
BEGIN
  IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = current_user) THEN
    RETURN OLD;
  END IF;
  CASE TG_TABLE_NAME
    WHEN 'relations' THEN
      allowed := may('DROP', relation_catalog(OLD.namespace_id), OLD.namespace_id, OLD.id);
      what := format('DROP on %s %s', lower(OLD.kind), OLD.name);
    WHEN 'namespaces' THEN
      allowed := may('DROP', OLD.catalog_id, OLD.id, NULL);
      what := format('DROP on namespace %s', array_to_string(OLD.levels, '.'));
    WHEN 'warehouses' THEN
      allowed := is_tenant_admin(OLD.tenant_id);
      what := format('tenant administration on warehouse %s', OLD.name);
    WHEN 'catalogs' THEN
      allowed := is_tenant_admin(OLD.tenant_id);
      what := format('tenant administration on catalog %s', OLD.name);
  END CASE;
  IF NOT allowed THEN
    RAISE EXCEPTION 'permission denied: principal % lacks %', session_user, what
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER relations_refuse_delete BEFORE DELETE ON relations
FOR EACH ROW EXECUTE FUNCTION refuse_unpermitted_delete();
CREATE TRIGGER namespaces_refuse_delete BEFORE DELETE ON namespaces
FOR EACH ROW EXECUTE FUNCTION refuse_unpermitted_delete();
CREATE TRIGGER warehouses_refuse_delete BEFORE DELETE ON warehouses
FOR EACH ROW EXECUTE FUNCTION refuse_unpermitted_delete();
CREATE TRIGGER catalogs_refuse_delete BEFORE DELETE ON catalogs
FOR EACH ROW EXECUTE FUNCTION refuse_unpermitted_delete();

-- Row-level security. Not FORCEd: the owner is pangolin_owner, which no one logs in as, and the SECURITY
-- DEFINER functions above run as it so that the policies can consult grants without recursing into them.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE warehouses ENABLE ROW LEVEL SECURITY;
ALTER TABLE catalogs ENABLE ROW LEVEL SECURITY;
ALTER TABLE namespaces ENABLE ROW LEVEL SECURITY;
ALTER TABLE relations ENABLE ROW LEVEL SECURITY;
ALTER TABLE grants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_admins ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenants_read ON tenants FOR SELECT USING (sees_tenant(id));
CREATE POLICY tenants_create ON tenants FOR INSERT WITH CHECK (is_member('pangolin_platform_admin'));

CREATE POLICY tenant_admins_read ON tenant_admins FOR SELECT
  USING (is_member(role_name) OR is_member('pangolin_platform_admin'));
-- Naming oneself (or a role one belongs to) would turn platform administration into data access.
CREATE POLICY tenant_admins_name ON tenant_admins FOR INSERT
  WITH CHECK (is_member('pangolin_platform_admin') AND NOT is_member(role_name));
CREATE POLICY tenant_admins_remove ON tenant_admins FOR DELETE USING (is_member('pangolin_platform_admin'));

CREATE POLICY warehouses_read ON warehouses FOR SELECT USING (sees_warehouse(id, tenant_id));
CREATE POLICY warehouses_create ON warehouses FOR INSERT WITH CHECK (is_tenant_admin(tenant_id));
CREATE POLICY warehouses_change ON warehouses FOR UPDATE
  USING (sees_warehouse(id, tenant_id)) WITH CHECK (is_tenant_admin(tenant_id));
CREATE POLICY warehouses_remove ON warehouses FOR DELETE USING (sees_warehouse(id, tenant_id));

CREATE POLICY catalogs_read ON catalogs FOR SELECT USING (sees(id, NULL, NULL));
CREATE POLICY catalogs_create ON catalogs FOR INSERT WITH CHECK (is_tenant_admin(tenant_id));
CREATE POLICY catalogs_change ON catalogs FOR UPDATE
  USING (sees(id, NULL, NULL)) WITH CHECK (is_tenant_admin(tenant_id));
CREATE POLICY catalogs_remove ON catalogs FOR DELETE USING (sees(id, NULL, NULL));

CREATE POLICY namespaces_read ON namespaces FOR SELECT USING (sees(catalog_id, id, NULL));
CREATE POLICY namespaces_create ON namespaces FOR INSERT WITH CHECK (may('CREATE', catalog_id, parent_id, NULL));
CREATE POLICY namespaces_change ON namespaces FOR UPDATE
  USING (sees(catalog_id, id, NULL)) WITH CHECK (may('WRITE', catalog_id, id, NULL));
CREATE POLICY namespaces_remove ON namespaces FOR DELETE USING (sees(catalog_id, id, NULL));

-- The commit stays one compare-and-swap UPDATE: a visible pointer the principal may not write fails the
-- WITH CHECK and raises 42501, so a refusal is never mistaken for a lost race (which matches 0 rows).
CREATE POLICY relations_read ON relations FOR SELECT
  USING (sees(relation_catalog(namespace_id), namespace_id, id));
CREATE POLICY relations_create ON relations FOR INSERT
  WITH CHECK (may('CREATE', relation_catalog(namespace_id), namespace_id, NULL));
CREATE POLICY relations_change ON relations FOR UPDATE
  USING (sees(relation_catalog(namespace_id), namespace_id, id))
  WITH CHECK (may('WRITE', relation_catalog(namespace_id), namespace_id, id));
CREATE POLICY relations_remove ON relations FOR DELETE
  USING (sees(relation_catalog(namespace_id), namespace_id, id));

CREATE POLICY grants_read ON grants FOR SELECT
  USING (is_member(grantee) OR may('MANAGE_GRANTS', catalog_id, namespace_id, relation_id));

CREATE POLICY audit_read ON audit_log FOR SELECT USING (is_tenant_admin(tenant_id));

-- A pointer a principal writes (through the JDBC layout, or raw SQL) must lie inside its warehouse's root or one
-- of its allowed locations. Dot segments and percent-encoded dots or slashes are refused rather than normalised.
-- The plugin checks its own writes before any SQL; superusers are trusted, as they bypass every policy anyway.
CREATE FUNCTION check_pointer_location() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  w record;
BEGIN
  IF (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user) THEN
    RETURN NEW;
  END IF;
  -- BEFORE triggers run ahead of the policies' WITH CHECK: leave a principal without the privilege to the policy,
  -- so that it is told "permission denied" rather than where pointers may go.
  IF NOT may(CASE TG_OP WHEN 'INSERT' THEN 'CREATE' ELSE 'WRITE' END, relation_catalog(NEW.namespace_id),
             NEW.namespace_id, CASE TG_OP WHEN 'INSERT' THEN NULL ELSE NEW.id END) THEN
    RETURN NEW;
  END IF;
  SELECT wh.name, wh.storage_root, wh.allowed_locations INTO w
  FROM namespaces n JOIN catalogs c ON c.id = n.catalog_id JOIN warehouses wh ON wh.id = c.warehouse_id
  WHERE n.id = NEW.namespace_id;
  IF NEW.metadata_location ~* '(^|/)\.\.?(/|$)|%2e|%2f|%5c|\\'
     OR NOT EXISTS (SELECT 1 FROM unnest(w.storage_root || w.allowed_locations) p
                    WHERE starts_with(NEW.metadata_location, rtrim(p, '/') || '/')) THEN
    RAISE EXCEPTION 'Metadata location "%" of % is outside warehouse "%"', NEW.metadata_location, NEW.name, w.name
      USING ERRCODE = 'check_violation',
            HINT = format('Use a location under %s or one of the warehouse''s allowed locations, without "." or ".."'
                          ' segments or percent-encoded dots.', w.storage_root);
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER relations_pointer_location BEFORE INSERT OR UPDATE OF metadata_location ON relations
FOR EACH ROW EXECUTE FUNCTION check_pointer_location();

-- Grants change only through these two functions, which check MANAGE_GRANTS on the object.
CREATE FUNCTION require_manage_grants(catalog bigint, namespace bigint, relation bigint) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF NOT may('MANAGE_GRANTS', catalog, namespace, relation) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks MANAGE_GRANTS on catalog id %', session_user, catalog
      USING ERRCODE = 'insufficient_privilege';
  END IF;
END $$;

CREATE FUNCTION grant_privilege(grantee name, privilege text, catalog bigint, namespace bigint DEFAULT NULL,
                                relation bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM require_manage_grants(catalog, namespace, relation);
  IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = grantee) THEN
    RAISE EXCEPTION 'Role "%" does not exist', grantee USING ERRCODE = 'undefined_object',
      HINT = 'Create the login or group role first (CREATE ROLE ... IN ROLE pangolin_principal).';
  END IF;
  IF namespace IS NOT NULL AND NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.id = namespace AND n.catalog_id = catalog)
     OR relation IS NOT NULL AND NOT EXISTS (SELECT 1 FROM relations r WHERE r.id = relation
                                             AND r.namespace_id IS NOT DISTINCT FROM namespace) THEN
    RAISE EXCEPTION 'The namespace or relation does not belong to catalog id %', catalog
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  INSERT INTO grants (catalog_id, namespace_id, relation_id, grantee, privilege)
  VALUES (catalog, namespace, relation, grantee, privilege)
  ON CONFLICT DO NOTHING
  RETURNING id INTO new_id;
  RETURN new_id;
END $$;

CREATE FUNCTION revoke_privilege(grantee name, privilege text, catalog bigint, namespace bigint DEFAULT NULL,
                                 relation bigint DEFAULT NULL) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM require_manage_grants(catalog, namespace, relation);
  DELETE FROM grants g
  WHERE g.catalog_id = catalog AND g.namespace_id IS NOT DISTINCT FROM namespace
    AND g.relation_id IS NOT DISTINCT FROM relation AND g.grantee = revoke_privilege.grantee
    AND g.privilege = revoke_privilege.privilege;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

-- The audit trail, written in the same transaction as the change: a failed commit leaves no row, a landed
-- one always has one. Secrets are never recorded, only that a credential changed.
CREATE FUNCTION record_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  obj record;
  obj_id bigint;
  tenant bigint;
  name_text text;
  action text := TG_OP;
  old_ptr text;
  new_ptr text;
  detail jsonb := '{}';
BEGIN
  IF TG_OP = 'DELETE' THEN obj := OLD; ELSE obj := NEW; END IF;
  IF TG_TABLE_NAME <> 'tenant_admins' THEN obj_id := obj.id; END IF;
  CASE TG_TABLE_NAME
    WHEN 'tenants' THEN
      tenant := obj.id; name_text := obj.name;
    WHEN 'warehouses' THEN
      tenant := obj.tenant_id; name_text := obj.name;
      IF TG_OP = 'UPDATE' THEN
        detail := jsonb_build_object('credentials_changed',
          OLD.access_key_id IS DISTINCT FROM NEW.access_key_id
          OR OLD.secret_access_key IS DISTINCT FROM NEW.secret_access_key
          OR OLD.credential_type IS DISTINCT FROM NEW.credential_type);
      END IF;
    WHEN 'catalogs' THEN
      tenant := obj.tenant_id; name_text := obj.name;
    WHEN 'namespaces' THEN
      SELECT c.tenant_id INTO tenant FROM catalogs c WHERE c.id = obj.catalog_id;
      name_text := array_to_string(obj.levels, '.');
    WHEN 'relations' THEN
      SELECT c.tenant_id, array_to_string(n.levels, '.') || '.' || obj.name INTO tenant, name_text
      FROM namespaces n JOIN catalogs c ON c.id = n.catalog_id WHERE n.id = obj.namespace_id;
      detail := jsonb_build_object('kind', obj.kind);
      IF TG_OP = 'UPDATE' THEN
        old_ptr := OLD.metadata_location;
        action := CASE WHEN OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id THEN 'RENAME'
                       ELSE 'COMMIT' END;
      ELSIF TG_OP = 'DELETE' THEN
        old_ptr := OLD.metadata_location;
      END IF;
      IF TG_OP <> 'DELETE' THEN new_ptr := NEW.metadata_location; END IF;
    WHEN 'grants' THEN
      SELECT c.tenant_id INTO tenant FROM catalogs c WHERE c.id = obj.catalog_id;
      name_text := obj.grantee;
      action := CASE TG_OP WHEN 'INSERT' THEN 'GRANT' ELSE 'REVOKE' END;
      detail := jsonb_build_object('privilege', obj.privilege, 'catalog_id', obj.catalog_id,
                                   'namespace_id', obj.namespace_id, 'relation_id', obj.relation_id);
    WHEN 'tenant_admins' THEN
      tenant := obj.tenant_id; obj_id := obj.tenant_id; name_text := obj.role_name;
  END CASE;
  INSERT INTO audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer, detail)
  VALUES (tenant, TG_TABLE_NAME, obj_id, name_text, action, old_ptr, new_ptr, detail);
  RETURN NULL;
END $$;

CREATE TRIGGER tenants_audit AFTER INSERT OR UPDATE OR DELETE ON tenants
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER warehouses_audit AFTER INSERT OR UPDATE OR DELETE ON warehouses
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER catalogs_audit AFTER INSERT OR UPDATE OR DELETE ON catalogs
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER namespaces_audit AFTER INSERT OR UPDATE OR DELETE ON namespaces
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER relations_audit AFTER INSERT OR UPDATE OR DELETE ON relations
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER grants_audit AFTER INSERT OR DELETE ON grants
FOR EACH ROW EXECUTE FUNCTION record_change();
CREATE TRIGGER tenant_admins_audit AFTER INSERT OR DELETE ON tenant_admins
FOR EACH ROW EXECUTE FUNCTION record_change();

-- Only the schema owner prunes the trail, by age.
CREATE FUNCTION prune_audit(older_than interval) RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH gone AS (DELETE FROM audit_log WHERE at < now() - older_than RETURNING 1) SELECT count(*) FROM gone
$$;

-- The JDBC-compatible layout reads as the invoker, so the policies above decide what a client sees; its
-- INSTEAD OF trigger functions are not SECURITY DEFINER, so the same policies apply to its writes.
ALTER VIEW pangolin_jdbc.iceberg_tables SET (security_invoker = true);
ALTER VIEW pangolin_jdbc.iceberg_namespace_properties SET (security_invoker = true);

-- Ownership and rights. Principals get only the table rights that the policies narrow.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'warehouses', 'catalogs', 'namespaces', 'relations', 'grants',
                           'tenant_admins', 'audit_log'] LOOP
    EXECUTE format('ALTER TABLE pangolin.%I OWNER TO pangolin_owner', t);
    EXECUTE format('REVOKE ALL ON pangolin.%I FROM PUBLIC', t);
  END LOOP;
END $$;

ALTER FUNCTION is_member(name) OWNER TO pangolin_owner;
ALTER FUNCTION is_tenant_admin(bigint) OWNER TO pangolin_owner;
ALTER FUNCTION may(text, bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION sees(bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION relation_catalog(bigint) OWNER TO pangolin_owner;
ALTER FUNCTION sees_tenant(bigint) OWNER TO pangolin_owner;
ALTER FUNCTION sees_warehouse(bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION grant_privilege(name, text, bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION revoke_privilege(name, text, bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION record_change() OWNER TO pangolin_owner;
ALTER FUNCTION check_pointer_location() OWNER TO pangolin_owner;
ALTER FUNCTION prune_audit(interval) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION prune_audit(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION record_change() FROM PUBLIC;

GRANT USAGE ON SCHEMA pangolin TO pangolin_owner;
GRANT USAGE ON SCHEMA pangolin, pangolin_jdbc TO pangolin_principal, pangolin_platform_admin;
GRANT SELECT ON schema_history TO pangolin_principal, pangolin_platform_admin;
GRANT SELECT ON tenants, warehouses, catalogs, namespaces, relations, grants, tenant_admins, audit_log
  TO pangolin_principal, pangolin_platform_admin;
GRANT INSERT, UPDATE, DELETE ON warehouses, catalogs, namespaces, relations TO pangolin_principal;
GRANT INSERT ON tenants TO pangolin_platform_admin;
GRANT INSERT, DELETE ON tenant_admins TO pangolin_platform_admin;
GRANT SELECT, INSERT, UPDATE, DELETE ON pangolin_jdbc.iceberg_tables, pangolin_jdbc.iceberg_namespace_properties
  TO pangolin_principal;
