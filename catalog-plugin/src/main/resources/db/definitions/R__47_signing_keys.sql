-- The key of a remote-signing warehouse (V19), for pangolin serve alone: its login, while it acts for a principal
-- who sees a catalog of the warehouse, reads the sealed key to sign that principal's requests (which
-- pangolin.sign_check decides one by one). Nobody else reads it: not the principal's own session, not the
-- endpoint's login acting for no one or for a principal who sees no catalog of the warehouse.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin.warehouse_signing_key(warehouse bigint)
  RETURNS TABLE (access_key_id text, secret_access_key text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  -- Refuses when pangolin serve's login acts for no one.
  who name := delegated_principal();
BEGIN
  IF warehouse IS NULL THEN
    RAISE EXCEPTION 'Invalid warehouse: none given' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT pg_has_role(session_user, 'pangolin_endpoint', 'MEMBER') THEN
    RAISE EXCEPTION 'permission denied: % is not a login of pangolin serve, which alone reads the keys of'
                    ' warehouses that sign remotely', session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM catalogs c WHERE c.warehouse_id = warehouse AND sees(c.id, NULL, NULL)) THEN
    RAISE EXCEPTION 'permission denied: principal % sees no catalog of warehouse %, so pangolin serve does not sign'
                    ' for it there', who, warehouse USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT k.access_key_id, k.secret_access_key FROM signing_keys k WHERE k.warehouse_id = warehouse;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.warehouse_signing_key(bigint) TO pangolin_endpoint;
