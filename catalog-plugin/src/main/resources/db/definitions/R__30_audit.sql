-- The audit trail: one row per change, written in the change's own transaction, naming the acting principal
-- (the column's default is session_user, which pangolin.acting_principal() also answers). Principals read their
-- tenant's rows as its administrators (R__20) and can change none; only pangolin_owner may prune.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.record_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
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
  SELECT c.tenant_id, 'refs', ref_id, object_name, action, old_ptr, new_ptr, detail FROM pangolin.catalogs c
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
         jsonb_build_object('kind', d.kind, 'relation_id', d.relation_id) || detail
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
