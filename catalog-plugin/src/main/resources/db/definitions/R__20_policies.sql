-- What principals read: row-level security, SELECT only (principals hold no other table privilege; every change
-- is a definer function of the other files). Not FORCEd: the owner, pangolin_owner, does not log in, and the
-- definer functions read as it.
SET ROLE pangolin_owner;

DO $$
DECLARE
  t text;
  p record;
BEGIN
  FOREACH t IN ARRAY ARRAY['tenants', 'warehouses', 'catalogs', 'namespaces', 'relations', 'grants', 'tenant_admins',
                           'audit_log', 'dropped_relations', 'refs', 'ref_relations', 'ref_namespaces'] LOOP
    EXECUTE format('ALTER TABLE pangolin.%I ENABLE ROW LEVEL SECURITY', t);
  END LOOP;
  FOR p IN SELECT tablename, policyname FROM pg_catalog.pg_policies WHERE schemaname = 'pangolin' LOOP
    EXECUTE format('DROP POLICY %I ON pangolin.%I', p.policyname, p.tablename);
  END LOOP;
END $$;

CREATE POLICY tenants_read ON pangolin.tenants FOR SELECT USING (pangolin.sees_tenant(id));
-- A warehouse row, with its sealed credentials, only through a catalog that uses it or as the tenant's administrator.
CREATE POLICY warehouses_read ON pangolin.warehouses FOR SELECT USING (pangolin.sees_warehouse(id, tenant_id));
CREATE POLICY catalogs_read ON pangolin.catalogs FOR SELECT USING (pangolin.sees(id, NULL, NULL));
CREATE POLICY namespaces_read ON pangolin.namespaces FOR SELECT
  USING (catalog_id = ANY ((SELECT pangolin.catalogs_seen_whole())::bigint[])
         OR id IN (SELECT pangolin.namespaces_seen_in_part()));
CREATE POLICY relations_read ON pangolin.relations FOR SELECT
  USING (namespace_id IN (SELECT pangolin.relation_namespaces_seen()) OR id IN (SELECT pangolin.relations_granted()));
CREATE POLICY grants_read ON pangolin.grants FOR SELECT
  USING (pangolin.is_member(grantee) OR pangolin.may('MANAGE_GRANTS', catalog_id, namespace_id, relation_id));
CREATE POLICY tenant_admins_read ON pangolin.tenant_admins FOR SELECT
  USING (pangolin.is_member(role_name) OR pangolin.is_member('pangolin_platform_admin'));
CREATE POLICY audit_read ON pangolin.audit_log FOR SELECT USING (pangolin.is_tenant_admin(tenant_id));
CREATE POLICY dropped_relations_read ON pangolin.dropped_relations FOR SELECT
  USING (pangolin.sees_dropped(catalog_id, namespace_levels));
CREATE POLICY refs_read ON pangolin.refs FOR SELECT USING (pangolin.sees(catalog_id, NULL, NULL));
CREATE POLICY ref_relations_read ON pangolin.ref_relations FOR SELECT
  USING (pangolin.sees_ref_relation(catalog_id, levels, name));
CREATE POLICY ref_namespaces_read ON pangolin.ref_namespaces FOR SELECT
  USING (pangolin.sees_ref_relation(catalog_id, levels, NULL));

RESET ROLE;
