-- Keys per tenant, and JDBC-catalog names that belong to their tenant. Tables and columns only; the rules that use
-- them are in R__46_keys.sql.
--
-- 1. The fingerprint (key id: the first 4 bytes of SHA-256 of the key, never the key) of the key a tenant's
--    secrets are sealed with, once 'pangolin key reseal' has given the tenant a key of its own. NULL: the tenant's
--    secrets are still sealed with the shared master key of the time before V15, and need re-sealing.
ALTER TABLE tenants ADD COLUMN key_fingerprint text CHECK (key_fingerprint ~ '^[0-9a-f]{8}$');

-- 2. A JDBC-catalog name belongs to the tenant with the longest name T such that it starts with 'T_' (the form of
--    the default name, <tenant>_<catalog>); a catalog may only hold a name of its own tenant's. Names of other
--    forms written before V15 (an operator's --jdbc-name such as 'sales') are kept, flagged, so that the JDBC
--    readers configured with them keep working; from now on a tenant whose names they would lie among cannot be
--    created. A name that already lies among another existing tenant's names is a squat: V15 refuses, naming it.
ALTER TABLE catalogs ADD COLUMN jdbc_name_grandfathered boolean NOT NULL DEFAULT false;

DO $$
DECLARE
  bad text;
BEGIN
  SELECT string_agg(format('%s/%s (jdbc_name %s)', t.name, c.name, c.jdbc_name), ', ' ORDER BY t.name, c.name)
  INTO bad
  FROM catalogs c JOIN tenants t ON t.id = c.tenant_id
  WHERE EXISTS (SELECT 1 FROM tenants o
                WHERE o.id <> t.id AND starts_with(c.jdbc_name, o.name || '_')
                  AND NOT (starts_with(c.jdbc_name, t.name || '_') AND length(t.name) > length(o.name)));
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot migrate: catalogs % hold a JDBC-catalog name that is another tenant''s (names starting'
                    ' with <tenant>_ belong to that tenant, whose default names they are)', left(bad, 2000)
      USING HINT = 'As a superuser, rename each to a name starting with its own tenant''s name and _ (UPDATE'
                   ' pangolin.catalogs SET jdbc_name = ...), tell its JDBC readers the new name, then migrate again.';
  END IF;
END $$;

UPDATE catalogs c SET jdbc_name_grandfathered = true
FROM tenants t
WHERE t.id = c.tenant_id AND NOT starts_with(c.jdbc_name, t.name || '_');
