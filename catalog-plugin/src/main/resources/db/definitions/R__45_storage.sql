-- Storage confined per tenant. No root or allowed location of one tenant's warehouse is a prefix of, or lies under,
-- one of another tenant's; file: locations only under the prefix the platform sets (pangolin.platform_settings).
-- The checks run in a constraint trigger on warehouses, so nothing written around create_warehouse and
-- update_warehouse_storage (R__40, which make the same check first) can break them, and every check takes the
-- platform_settings row lock, so two tenants cannot add overlapping storage at the same time.
SET ROLE pangolin_owner;

-- One spelling per place, for prefix comparison only: s3a and s3n are s3, scheme and bucket lower-cased, a bare path
-- is file:, repeated and trailing slashes dropped. The result never ends in '/', so key || '/' is the prefix; the
-- root of a file system is 'file:' and a whole bucket 's3://bucket'. Deliberately coarse (it may call two distinct
-- places one): a false overlap refuses a warehouse, a missed one would share storage between tenants.
CREATE OR REPLACE FUNCTION pangolin_private.storage_key(location text) RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  AS $$
DECLARE
  loc text := btrim(location);
  m text[];
  scheme text;
  rest text;
  bucket text;
BEGIN
  IF loc IS NULL THEN
    RETURN NULL;
  END IF;
  IF starts_with(loc, '/') THEN
    loc := 'file:' || loc;
  END IF;
  m := regexp_match(loc, '^([A-Za-z][A-Za-z0-9+.-]*):(.*)$');
  IF m IS NULL THEN
    RETURN NULL;
  END IF;
  scheme := lower(m[1]);
  rest := regexp_replace(m[2], '/{2,}', '/', 'g');
  IF scheme IN ('s3', 's3a', 's3n') THEN
    rest := ltrim(rest, '/');
    bucket := lower(split_part(rest, '/', 1));
    rest := rtrim(substr(rest, length(split_part(rest, '/', 1)) + 1), '/');
    RETURN 's3://' || bucket || rest;
  END IF;
  RETURN scheme || ':' || rtrim(rest, '/');
END $$;

-- Whether two keys of storage_key share any place: one is the other or lies under it.
CREATE OR REPLACE FUNCTION pangolin_private.storage_overlaps(a text, b text) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT starts_with(a || '/', b || '/') OR starts_with(b || '/', a || '/') $$;

-- A root or allowed location Pangolin can compare reliably: s3://bucket[/key] or file:/path, with no '.' or '..'
-- segment, no percent escape (storage or an engine could decode it into another path) and no backslash.
CREATE OR REPLACE FUNCTION pangolin_private.require_storage_location(warehouse_name text, location text)
  RETURNS text
  LANGUAGE plpgsql IMMUTABLE
  AS $_$
DECLARE
  key text := pangolin_private.storage_key(location);
BEGIN
  PERFORM pangolin_private.require_text('storage location', location, 4096);
  IF key IS NULL OR NOT (key ~ '^s3://[^/]+' OR key ~ '^file:(/|$)')
     OR location ~ '(^|/)\.\.?(/|$)|%|\\' THEN
    RAISE EXCEPTION 'Invalid storage location % for warehouse "%"', pangolin_private.shown(location), warehouse_name
      USING ERRCODE = 'check_violation',
            HINT = 'Use s3://bucket/prefix (also s3a, s3n) or file:/absolute/path, without "." or ".." segments,'
                   ' percent escapes or backslashes.';
  END IF;
  RETURN key;
END $_$;

-- The check itself, for warehouse warehouse_name (id own_id, NULL before it exists) of tenant: every location in
-- root and allowed is valid, overlaps no location of another tenant's warehouse, and, when it is a file: location
-- the warehouse did not already have (kept_locations), lies under the platform's file root prefix. The refusal
-- names only the caller's own warehouse and location: never the other tenant, its warehouse or its location.
CREATE OR REPLACE FUNCTION pangolin_private.require_storage_confined(own_id bigint, tenant bigint,
    warehouse_name text, root text, allowed text[], kept_locations text[]) RETURNS void
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  loc text;
  key text;
  file_prefix text;
BEGIN
  -- Serialize every change of storage topology (see V14): waits for a concurrent one, or fails with 40001 under
  -- REPEATABLE READ when it committed after this transaction's snapshot.
  UPDATE pangolin.platform_settings SET storage_generation = storage_generation + 1
  RETURNING pangolin_private.storage_key(file_root_prefix) INTO file_prefix;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'pangolin.platform_settings has lost its row; no warehouse storage can change without it'
      USING ERRCODE = 'object_not_in_prerequisite_state',
            HINT = 'As a superuser: INSERT INTO pangolin.platform_settings DEFAULT VALUES.';
  END IF;
  FOREACH loc IN ARRAY root || coalesce(allowed, '{}') LOOP
    key := pangolin_private.require_storage_location(warehouse_name, loc);
    IF EXISTS (SELECT 1 FROM pangolin.warehouses w, unnest(w.storage_root || w.allowed_locations) o (location)
               WHERE w.tenant_id <> tenant AND w.id IS DISTINCT FROM own_id
                 AND pangolin_private.storage_overlaps(key, pangolin_private.storage_key(o.location))) THEN
      RAISE EXCEPTION 'Storage location % of warehouse "%" overlaps storage of another tenant', shown(loc),
                      warehouse_name
        USING ERRCODE = 'check_violation',
              HINT = 'Warehouses of different tenants never share storage: use a bucket or prefix of this tenant''s'
                     ' own, neither above nor below any location another tenant uses.';
    END IF;
    IF starts_with(key, 'file:') AND NOT loc = ANY (coalesce(kept_locations, '{}')) THEN
      IF file_prefix IS NULL THEN
        RAISE EXCEPTION 'Storage location % of warehouse "%" is a file: location, and the platform allows none',
                        shown(loc), warehouse_name
          USING ERRCODE = 'check_violation',
                HINT = 'Use an s3:// location, or ask the platform operator to set the prefix file: warehouses must'
                       ' lie under with ''pangolin platform set-file-root PREFIX''.';
      ELSIF NOT starts_with(key || '/', file_prefix || '/') THEN
        RAISE EXCEPTION 'Storage location % of warehouse "%" is outside the platform''s file root',
                        shown(loc), warehouse_name
          USING ERRCODE = 'check_violation',
                HINT = 'file: warehouses must lie under ' || file_prefix || ' (see ''pangolin platform show'').';
      END IF;
    END IF;
  END LOOP;
END $$;

-- The database-level guard: whoever writes the row (a definer function, the owner, a superuser).
CREATE OR REPLACE FUNCTION pangolin_private.check_warehouse_storage() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  kept text[] := '{}';
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.tenant_id = OLD.tenant_id AND NEW.storage_root = OLD.storage_root
       AND NEW.allowed_locations = OLD.allowed_locations THEN
      RETURN NULL;
    END IF;
    IF NEW.tenant_id = OLD.tenant_id THEN
      kept := OLD.storage_root || OLD.allowed_locations;
    END IF;
  END IF;
  PERFORM require_storage_confined(NEW.id, NEW.tenant_id, NEW.name, NEW.storage_root, NEW.allowed_locations, kept);
  RETURN NULL;
END $$;

-- Constraint triggers cannot be replaced in place.
DROP TRIGGER IF EXISTS warehouses_storage_confined ON pangolin.warehouses;
CREATE CONSTRAINT TRIGGER warehouses_storage_confined
  AFTER INSERT OR UPDATE OF tenant_id, storage_root, allowed_locations ON pangolin.warehouses
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.check_warehouse_storage();

-- Sets (or, with NULL, clears) the prefix file: warehouses must lie under. Platform administrators and superusers:
-- the prefix names a path on every engine host, so it belongs to whoever runs the platform, not to a tenant.
-- Existing file: warehouses are not moved or refused by a new prefix; only new file: locations are checked.
CREATE OR REPLACE FUNCTION pangolin.set_file_root_prefix(prefix text) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  key text;
BEGIN
  PERFORM require_platform_admin('setting the platform''s file root');
  IF prefix IS NOT NULL THEN
    key := require_storage_location('(platform file root)', prefix);
    IF NOT starts_with(key, 'file:/') THEN
      RAISE EXCEPTION 'Invalid file root %: it must be an absolute file: path other than /', shown(prefix)
        USING ERRCODE = 'invalid_parameter_value', HINT = 'For example file:/srv/pangolin/warehouses';
    END IF;
  END IF;
  UPDATE platform_settings s SET file_root_prefix = key, storage_generation = s.storage_generation + 1,
                                 updated_at = now(), updated_by = acting_principal();
  RETURN key;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.set_file_root_prefix(text) TO pangolin_platform_admin;
