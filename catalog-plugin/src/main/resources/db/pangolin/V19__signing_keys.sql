-- Warehouses whose engines sign through pangolin serve (storage-access=remote-signing, issue 21): their key is for
-- the endpoint alone. Its access key id and sealed secret are kept here, where no principal can read them, and the
-- warehouses row holds neither (so reading the row, which row-level security lets every principal who sees one of
-- its catalogs do, shows no key). Written only by the definer functions that create and update warehouses and set
-- their credentials (R__40), read only by pangolin.warehouse_signing_key (R__47), which answers only pangolin
-- serve's login while it acts for a principal who sees a catalog of the warehouse.
CREATE TABLE pangolin_private.signing_keys (
  warehouse_id      bigint PRIMARY KEY REFERENCES pangolin.warehouses (id) ON DELETE CASCADE,
  access_key_id     text NOT NULL CHECK (length(access_key_id) BETWEEN 1 AND 1024),
  secret_access_key text NOT NULL CHECK (length(secret_access_key) BETWEEN 1 AND 8192)
);
ALTER TABLE pangolin_private.signing_keys OWNER TO pangolin_owner;
REVOKE ALL ON pangolin_private.signing_keys FROM PUBLIC;
-- Defence in depth beside the private schema: without a policy, no role but the owner sees a row.
ALTER TABLE pangolin_private.signing_keys ENABLE ROW LEVEL SECURITY;

-- A remote-signing warehouse keeps its static key in pangolin_private.signing_keys, never in its row.
ALTER TABLE pangolin.warehouses DROP CONSTRAINT static_credentials_complete;
ALTER TABLE pangolin.warehouses ADD CONSTRAINT static_credentials_complete CHECK (
  credential_type <> 'static' OR settings->>'storage-access' IS NOT DISTINCT FROM 'remote-signing'
  OR (access_key_id IS NOT NULL AND secret_access_key IS NOT NULL));
ALTER TABLE pangolin.warehouses ADD CONSTRAINT signing_key_not_in_row CHECK (
  settings->>'storage-access' IS DISTINCT FROM 'remote-signing'
  OR (credential_type = 'static' AND access_key_id IS NULL AND secret_access_key IS NULL));
