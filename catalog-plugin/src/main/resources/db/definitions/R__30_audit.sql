-- The audit trail: one row per change, written in the change's own transaction, naming the acting principal
-- (the column's default is pangolin.acting_principal(), R__10). Principals read their
-- tenant's rows as its administrators (R__20) and can change none; only pangolin_owner may prune. The details name
-- objects as people do (catalog, namespace path, table, warehouse, tenant): an id means nothing to a reader and
-- outlives its row; one is kept only where its object is already gone and has no name left to show.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.record_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  obj record;
  obj_id bigint;
  tenant bigint;
  catalog_name text;
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
      detail := jsonb_build_object('warehouse', (SELECT w.name FROM warehouses w WHERE w.id = obj.warehouse_id));
    WHEN 'namespaces' THEN
      SELECT c.tenant_id, c.name INTO tenant, catalog_name FROM catalogs c WHERE c.id = obj.catalog_id;
      name_text := array_to_string(obj.levels, '.');
      detail := jsonb_build_object('catalog', catalog_name);
    WHEN 'relations' THEN
      SELECT c.tenant_id, c.name, array_to_string(n.levels, '.') || '.' || obj.name
      INTO tenant, catalog_name, name_text
      FROM namespaces n JOIN catalogs c ON c.id = n.catalog_id WHERE n.id = obj.namespace_id;
      detail := jsonb_build_object('kind', obj.kind, 'catalog', catalog_name);
      IF TG_OP = 'UPDATE' THEN
        old_ptr := OLD.metadata_location;
        IF OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id THEN
          action := 'RENAME';
          detail := detail || jsonb_build_object('from', (SELECT array_to_string(n.levels, '.') || '.' || OLD.name
                                                          FROM namespaces n WHERE n.id = OLD.namespace_id));
        ELSE
          action := 'COMMIT';
        END IF;
      ELSIF TG_OP = 'DELETE' THEN
        old_ptr := OLD.metadata_location;
      END IF;
      IF TG_OP <> 'DELETE' THEN new_ptr := NEW.metadata_location; END IF;
    WHEN 'grants' THEN
      SELECT c.tenant_id, c.name INTO tenant, catalog_name FROM catalogs c WHERE c.id = obj.catalog_id;
      name_text := obj.grantee;
      action := CASE TG_OP WHEN 'INSERT' THEN 'GRANT' ELSE 'REVOKE' END;
      -- What the grant is on, by name; a revoke that a dropped catalog, namespace or table cascaded finds no name.
      detail := jsonb_strip_nulls(jsonb_build_object(
        'privilege', obj.privilege, 'catalog', catalog_name,
        'namespace', (SELECT array_to_string(n.levels, '.') FROM namespaces n WHERE n.id = obj.namespace_id),
        'relation', (SELECT r.name FROM relations r WHERE r.id = obj.relation_id)));
      IF NOT detail ? 'catalog' THEN
        detail := detail || jsonb_build_object('catalog_id', obj.catalog_id);
      END IF;
      IF obj.namespace_id IS NOT NULL AND NOT detail ? 'namespace' THEN
        detail := detail || jsonb_build_object('namespace_id', obj.namespace_id);
      END IF;
      IF obj.relation_id IS NOT NULL AND NOT detail ? 'relation' THEN
        detail := detail || jsonb_build_object('relation_id', obj.relation_id);
      END IF;
    WHEN 'tenant_admins' THEN
      tenant := obj.tenant_id; obj_id := obj.tenant_id; name_text := obj.role_name;
      detail := jsonb_build_object('tenant', (SELECT t.name FROM tenants t WHERE t.id = obj.tenant_id));
  END CASE;
  INSERT INTO audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer, detail)
  VALUES (tenant, TG_TABLE_NAME, obj_id, name_text, action, old_ptr, new_ptr, detail);
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER tenants_audit AFTER INSERT OR UPDATE OR DELETE ON pangolin.tenants
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER warehouses_audit AFTER INSERT OR UPDATE OR DELETE ON pangolin.warehouses
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER catalogs_audit AFTER INSERT OR UPDATE OR DELETE ON pangolin.catalogs
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER namespaces_audit AFTER INSERT OR UPDATE OR DELETE ON pangolin.namespaces
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER relations_audit AFTER INSERT OR UPDATE OR DELETE ON pangolin.relations
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER grants_audit AFTER INSERT OR DELETE ON pangolin.grants
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
CREATE OR REPLACE TRIGGER tenant_admins_audit AFTER INSERT OR DELETE ON pangolin.tenant_admins
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();

-- A change to a branch or tag, or to a table on one (their rows are not audited by trigger).
CREATE OR REPLACE FUNCTION pangolin_private.audit_ref(catalog bigint, ref_id bigint, object_name text, action text,
                                                      old_ptr text, new_ptr text, detail jsonb) RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO pangolin.audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer,
                                  detail)
  SELECT c.tenant_id, 'refs', ref_id, object_name, action, old_ptr, new_ptr,
         detail OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('catalog', c.name)
  FROM pangolin.catalogs c
  WHERE c.id = catalog
$$;

CREATE OR REPLACE FUNCTION pangolin_private.record_graveyard_change(action text, d pangolin.dropped_relations,
                                                                    relation_name text, new_ptr text, detail jsonb)
  RETURNS void
  LANGUAGE sql
  AS $$
  INSERT INTO pangolin.audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer,
                                  detail)
  SELECT c.tenant_id, 'dropped_relations', d.id, relation_name, action, d.metadata_location, new_ptr,
         pg_catalog.jsonb_build_object('kind', d.kind, 'catalog', c.name) OPERATOR(pg_catalog.||) detail
  FROM pangolin.catalogs c WHERE c.id = d.catalog_id
$$;

-- Owner only (no grant): an operator prunes as pangolin_owner or a superuser.
CREATE OR REPLACE FUNCTION pangolin.prune_audit(older_than interval) RETURNS bigint
  LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH gone AS (DELETE FROM audit_log WHERE at < now() - older_than RETURNING 1) SELECT count(*) FROM gone
$$;

RESET ROLE;
