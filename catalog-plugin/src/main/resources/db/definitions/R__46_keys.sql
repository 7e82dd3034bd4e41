-- Keys per tenant and the tenant's own JDBC-catalog names.
--
-- A tenant's secrets are sealed with a key of its own; tenants.key_fingerprint names it (its key id, never the key).
-- The sealed form is 'pgl:v1:<key id>:<base64>', so the database can tell, without any key, which key sealed a
-- value: once a tenant has a key of its own, a value sealed with any other key is refused, and re-sealing every
-- secret of a tenant is one call of reseal_tenant_secrets, by one of the tenant's administrators.
--
-- A JDBC-catalog name belongs to the tenant with the longest name T such that the name starts with 'T_' (the form
-- of the default name <tenant>_<catalog>); a catalog holds only names of its own tenant, so no tenant can take
-- another's default name, now or before that tenant is created.
SET ROLE pangolin_owner;

-- The tenant whose names jdbc lies among: the longest tenant name T with jdbc starting 'T_'; NULL for none.
CREATE OR REPLACE FUNCTION pangolin_private.jdbc_name_tenant(jdbc text) RETURNS bigint
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT t.id FROM pangolin.tenants t
  WHERE starts_with(jdbc, t.name || '_')
  ORDER BY length(t.name) DESC LIMIT 1
$$;

-- Creating or renaming a tenant and writing a catalog's JDBC name both take this lock, so that a tenant and a
-- catalog name made at the same time cannot both pass their checks.
CREATE OR REPLACE FUNCTION pangolin_private.lock_jdbc_names() RETURNS void
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$ BEGIN PERFORM pg_advisory_xact_lock(hashtext('pangolin.jdbc_names')); END $$;

CREATE OR REPLACE FUNCTION pangolin_private.catalog_jdbc_name_is_own() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant_name text;
BEGIN
  PERFORM lock_jdbc_names();
  IF jdbc_name_tenant(NEW.jdbc_name) IS NOT DISTINCT FROM NEW.tenant_id THEN
    RETURN NEW;
  END IF;
  -- A name of another form kept by V15 stays as long as it and its tenant do not change.
  IF TG_OP = 'UPDATE' AND OLD.jdbc_name_grandfathered AND NEW.jdbc_name_grandfathered
     AND OLD.jdbc_name = NEW.jdbc_name AND OLD.tenant_id = NEW.tenant_id
     AND jdbc_name_tenant(NEW.jdbc_name) IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT t.name INTO tenant_name FROM tenants t WHERE t.id = NEW.tenant_id;
  RAISE EXCEPTION 'JDBC-catalog name % of catalog %/% is not one of tenant %''s names', NEW.jdbc_name, tenant_name,
    NEW.name, tenant_name
    USING ERRCODE = 'check_violation', CONSTRAINT = 'catalogs_jdbc_name_own',
          HINT = format('Choose a name that starts with %s_ and not with the name of another, longer, tenant and _'
                        ' (the default %s_%s is one unless it is).', tenant_name, tenant_name, NEW.name);
END $$;

CREATE OR REPLACE TRIGGER catalogs_jdbc_name_own BEFORE INSERT OR UPDATE OF jdbc_name, tenant_id,
    jdbc_name_grandfathered ON pangolin.catalogs
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.catalog_jdbc_name_is_own();

-- A tenant may not be named so that a catalog of another tenant would hold one of its names; a renamed tenant's
-- catalogs must still hold names of its own.
CREATE OR REPLACE FUNCTION pangolin_private.tenant_name_frees_jdbc_names() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  taken text;
BEGIN
  PERFORM lock_jdbc_names();
  SELECT string_agg(format('%s (of another tenant)', c.jdbc_name), ', ' ORDER BY c.jdbc_name) INTO taken
  FROM catalogs c JOIN tenants o ON o.id = c.tenant_id
  WHERE c.tenant_id <> NEW.id AND o.name <> NEW.name AND starts_with(c.jdbc_name, NEW.name || '_')
    AND NOT (starts_with(c.jdbc_name, o.name || '_') AND length(o.name) > length(NEW.name));
  IF taken IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot name a tenant %: JDBC-catalog names % start with %_, the form of its default names',
      NEW.name, left(taken, 1000), NEW.name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'tenants_jdbc_names_free',
            HINT = 'Choose another tenant name, or have the holder of those catalogs rename their JDBC-catalog names.';
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.name <> NEW.name THEN
    SELECT string_agg(c.name, ', ' ORDER BY c.name) INTO taken FROM catalogs c
    WHERE c.tenant_id = NEW.id AND NOT c.jdbc_name_grandfathered AND NOT starts_with(c.jdbc_name, NEW.name || '_');
    IF taken IS NOT NULL THEN
      RAISE EXCEPTION 'Cannot rename tenant % to %: its catalogs % hold JDBC-catalog names starting with %_',
        OLD.name, NEW.name, left(taken, 1000), OLD.name
        USING ERRCODE = 'check_violation', CONSTRAINT = 'tenants_jdbc_names_free';
    END IF;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER tenants_jdbc_names_free BEFORE INSERT OR UPDATE OF name ON pangolin.tenants
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.tenant_name_frees_jdbc_names();

-- The key id of a sealed value, NULL for a value that is not sealed.
CREATE OR REPLACE FUNCTION pangolin_private.sealing_key(stored text) RETURNS text
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT CASE WHEN starts_with(stored, 'pgl:v1:') THEN split_part(stored, ':', 3) END $$;

-- Once a tenant has a key of its own, every sealed value of its warehouses is sealed with it: a value sealed with
-- the old shared master key, or another tenant's key, is refused before it is stored.
CREATE OR REPLACE FUNCTION pangolin_private.warehouse_secrets_use_tenant_key() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant_key text;
  tenant_name text;
  wrong text;
BEGIN
  SELECT t.key_fingerprint, t.name INTO tenant_key, tenant_name FROM tenants t WHERE t.id = NEW.tenant_id;
  IF tenant_key IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT string_agg(k, ', ' ORDER BY k) INTO wrong
  FROM (SELECT 'secret access key' AS k, NEW.secret_access_key AS v
        UNION ALL SELECT 'setting ' || e.key, e.value FROM jsonb_each_text(NEW.settings) e) s
  WHERE sealing_key(s.v) IS DISTINCT FROM tenant_key AND sealing_key(s.v) IS NOT NULL;
  IF wrong IS NOT NULL THEN
    RAISE EXCEPTION 'The % of warehouse %/% is sealed with another key than tenant %''s (key fingerprint %)',
      wrong, tenant_name, NEW.name, tenant_name, tenant_key
      USING ERRCODE = 'check_violation', CONSTRAINT = 'warehouses_sealed_with_tenant_key',
            HINT = format('Seal it with tenant %s''s key: give it with --tenant-key-file (or PANGOLIN_TENANT_KEY).',
                          tenant_name);
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER warehouses_sealed_with_tenant_key BEFORE INSERT OR UPDATE ON pangolin.warehouses
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.warehouse_secrets_use_tenant_key();

-- Re-seals every secret of a tenant's warehouses with the tenant's new key, in one statement, and records the key's
-- fingerprint. sealed holds, for every warehouse of the tenant by name: "version" (its config_version as read, so
-- that a change made meanwhile is not overwritten), "secret_access_key" (the new sealed value, present exactly when
-- the warehouse has one) and "settings" (new sealed values of settings it has). from_key is the fingerprint of the
-- key the caller opened the old values with: it must be the tenant's recorded key, when it has one. Nothing else of
-- the rows changes; afterwards no value of the tenant may be sealed with any other key.
CREATE OR REPLACE FUNCTION pangolin.reseal_tenant_secrets(tenant_name text, from_key text, to_key text,
    sealed jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'the keys of tenant ' || coalesce(tenant_name, ''));
  recorded text;
  mismatch text;
  changed integer;
BEGIN
  IF tenant IS NULL THEN
    RETURN NULL;
  END IF;
  IF to_key IS NULL OR to_key !~ '^[0-9a-f]{8}$' THEN
    RAISE EXCEPTION 'Invalid key fingerprint: % (8 hex digits)', coalesce(shown(to_key), 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF sealed IS NULL OR jsonb_typeof(sealed) <> 'object' THEN
    RAISE EXCEPTION 'Invalid re-sealed values: a JSON object by warehouse name' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT t.key_fingerprint INTO recorded FROM tenants t WHERE t.id = tenant FOR UPDATE;
  IF recorded IS NOT NULL AND recorded IS DISTINCT FROM from_key THEN
    RAISE EXCEPTION 'Tenant %''s secrets are sealed with its key of fingerprint %, not with the key of fingerprint % given'
      ' to open them', tenant_name, recorded, coalesce(shown(from_key), 'none')
      USING ERRCODE = 'invalid_parameter_value', HINT = 'Give the tenant''s current key as the key to re-seal from.';
  END IF;
  PERFORM 1 FROM warehouses w WHERE w.tenant_id = tenant FOR UPDATE;
  -- The key of a remote-signing warehouse is kept where its administrators cannot read it (V19), so they cannot
  -- open it to seal it again.
  SELECT string_agg(w.name, ', ' ORDER BY w.name) INTO mismatch FROM warehouses w
  WHERE w.tenant_id = tenant AND signs_remotely(w.settings);
  IF mismatch IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot re-seal the secrets of tenant %: warehouses % sign through pangolin serve, and their keys'
                    ' are readable by pangolin serve only', tenant_name, left(mismatch, 1000)
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'Set storage-access=keys on them, re-seal, then set storage-access=remote-signing again.';
  END IF;
  SELECT string_agg(coalesce(w.name, s.key), ', ' ORDER BY coalesce(w.name, s.key)) INTO mismatch
  FROM (SELECT * FROM warehouses w WHERE w.tenant_id = tenant) w
  FULL JOIN jsonb_each(sealed) s ON s.key = w.name
  WHERE w.id IS NULL OR s.key IS NULL
     OR (s.value->>'version') IS DISTINCT FROM w.config_version::text
     OR (w.secret_access_key IS NULL) <> (s.value->>'secret_access_key' IS NULL)
     OR EXISTS (SELECT 1 FROM jsonb_each_text(coalesce(s.value->'settings', '{}')) n
                WHERE NOT w.settings ? n.key OR sealing_key(n.value) IS DISTINCT FROM to_key)
     OR sealing_key(s.value->>'secret_access_key') IS DISTINCT FROM to_key AND w.secret_access_key IS NOT NULL;
  IF mismatch IS NOT NULL THEN
    RAISE EXCEPTION 'Warehouses % of tenant % changed while their secrets were re-sealed, or were not all given',
      left(mismatch, 1000), tenant_name
      USING ERRCODE = 'serialization_failure', HINT = 'Run the re-seal again.';
  END IF;
  -- Record the key first, so that the trigger checks the new values against it.
  UPDATE tenants t SET key_fingerprint = to_key WHERE t.id = tenant;
  UPDATE warehouses w
  SET secret_access_key = s.value->>'secret_access_key',
      settings = w.settings || coalesce(s.value->'settings', '{}'),
      config_version = w.config_version + 1, updated_at = now()
  FROM jsonb_each(sealed) s
  WHERE w.tenant_id = tenant AND w.name = s.key;
  GET DIAGNOSTICS changed = ROW_COUNT;
  SELECT string_agg(w.name, ', ' ORDER BY w.name) INTO mismatch FROM warehouses w
  WHERE w.tenant_id = tenant
    AND EXISTS (SELECT 1 FROM jsonb_each_text(w.settings) e
                WHERE sealing_key(e.value) IS DISTINCT FROM to_key AND sealing_key(e.value) IS NOT NULL);
  IF mismatch IS NOT NULL THEN
    RAISE EXCEPTION 'Warehouses % of tenant % still hold values sealed with another key', left(mismatch, 1000),
      tenant_name USING ERRCODE = 'invalid_parameter_value', HINT = 'Re-seal every sealed setting too.';
  END IF;
  RETURN changed;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.reseal_tenant_secrets(text, text, text, jsonb) TO pangolin_principal;
