-- Tenants, their administrators, warehouses and catalogs: the platform administrator makes tenants and names
-- their administrators; a tenant's administrators manage its warehouses and catalogs. Each function answers 0 (or
-- NULL) for an object the acting principal does not see, and refuses (42501) one it sees but may not change.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.is_platform_admin() RETURNS boolean
  LANGUAGE sql STABLE
  AS $$ SELECT pangolin.is_member('pangolin_platform_admin') OR pangolin_private.is_superuser() $$;

CREATE OR REPLACE FUNCTION pangolin_private.require_platform_admin(what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  IF NOT pangolin_private.is_platform_admin() THEN
    PERFORM pangolin_private.refuse('platform administration', what);
  END IF;
END $$;

-- The tenant by name, as the acting principal may administer it: NULL when it does not see the tenant, a refusal
-- when it sees it without being its administrator.
CREATE OR REPLACE FUNCTION pangolin_private.administered_tenant(tenant_name text, what text) RETURNS bigint
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  tenant bigint;
BEGIN
  PERFORM pangolin_private.require_text('tenant name', tenant_name, 63);
  SELECT t.id INTO tenant FROM pangolin.tenants t WHERE t.name = tenant_name;
  IF tenant IS NULL OR NOT pangolin.sees_tenant(tenant) THEN
    RETURN NULL;
  END IF;
  IF NOT (pangolin.is_tenant_admin(tenant) OR pangolin_private.is_superuser()) THEN
    PERFORM pangolin_private.refuse('tenant administration', what);
  END IF;
  RETURN tenant;
END $$;

CREATE OR REPLACE FUNCTION pangolin.create_tenant(tenant_name text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM require_text('tenant name', tenant_name, 63);
  PERFORM require_platform_admin('tenant ' || tenant_name);
  INSERT INTO tenants (name) VALUES (tenant_name) RETURNING id INTO new_id;
  RETURN new_id;
END $$;

-- A tenant without warehouses or catalogs (the foreign keys refuse the others, 23503).
CREATE OR REPLACE FUNCTION pangolin.delete_tenant(tenant_name text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM require_text('tenant name', tenant_name, 63);
  PERFORM require_platform_admin('tenant ' || tenant_name);
  DELETE FROM tenants t WHERE t.name = tenant_name;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

-- A platform administrator names a tenant's administrators, never itself or a role it belongs to; nor a role that any
-- platform administrator is a member of, holds ADMIN OPTION on (it could grant the role to itself), or is (platform
-- administration would then come with the tenant's data).
CREATE OR REPLACE FUNCTION pangolin.add_tenant_admin(tenant_name text, admin_role name) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint;
  added integer;
BEGIN
  PERFORM require_text('tenant name', tenant_name, 63);
  PERFORM require_text('role name', admin_role, 63);
  PERFORM require_platform_admin('tenant ' || tenant_name);
  IF is_member(admin_role) AND NOT is_superuser() THEN
    PERFORM refuse('platform administration', format('naming %s, a role it holds, administrator of tenant %s',
                                                     admin_role, tenant_name));
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles a, pg_roles r
             WHERE r.rolname = admin_role AND pg_has_role(a.oid, 'pangolin_platform_admin', 'MEMBER')
               AND a.rolname <> 'pangolin_platform_admin' AND NOT a.rolsuper
               AND (pg_has_role(a.oid, r.oid, 'MEMBER') OR pg_has_role(r.oid, a.oid, 'MEMBER')
                    OR EXISTS (SELECT 1 FROM pg_auth_members m
                               WHERE m.roleid = r.oid AND m.admin_option AND pg_has_role(a.oid, m.member, 'MEMBER'))))
  THEN
    PERFORM refuse('platform administration', format('naming %s administrator of tenant %s: a platform administrator'
                                                     ' is, belongs to or administers that role', admin_role,
                                                     tenant_name));
  END IF;
  SELECT t.id INTO tenant FROM tenants t WHERE t.name = tenant_name;
  IF tenant IS NULL THEN
    RETURN 0;
  END IF;
  -- Naming it twice is a unique violation (23505), as a second INSERT always was, so that a caller can tell "already"
  -- from "no such tenant" (0).
  INSERT INTO tenant_admins (tenant_id, role_name) VALUES (tenant, admin_role);
  GET DIAGNOSTICS added = ROW_COUNT;
  RETURN added;
END $$;

CREATE OR REPLACE FUNCTION pangolin.remove_tenant_admin(tenant_name text, admin_role name) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM require_text('tenant name', tenant_name, 63);
  PERFORM require_text('role name', admin_role, 63);
  PERFORM require_platform_admin('tenant ' || tenant_name);
  DELETE FROM tenant_admins a USING tenants t
  WHERE t.id = a.tenant_id AND t.name = tenant_name AND a.role_name = admin_role;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

-- Grants and administration of a role that is being dropped (the role itself is dropped by the caller).
CREATE OR REPLACE FUNCTION pangolin.forget_principal(role_name name) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  grants_removed integer;
BEGIN
  PERFORM require_text('role name', role_name, 63);
  PERFORM require_platform_admin('dropping principal ' || role_name);
  DELETE FROM grants g WHERE g.grantee = forget_principal.role_name;
  GET DIAGNOSTICS grants_removed = ROW_COUNT;
  DELETE FROM tenant_admins a WHERE a.role_name = forget_principal.role_name;
  DELETE FROM pangolin_private.tokens t WHERE t.principal = forget_principal.role_name;
  RETURN grants_removed;
END $$;

-- Whether a warehouse's engines sign through pangolin serve, so that its key is kept apart (V19).
CREATE OR REPLACE FUNCTION pangolin_private.signs_remotely(settings jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
  AS $$ SELECT coalesce(settings->>'storage-access' = 'remote-signing', false) $$;

-- Keeps a remote-signing warehouse's key (sealed) apart from its row, or forgets the key kept apart for one that
-- no longer signs remotely.
CREATE OR REPLACE FUNCTION pangolin_private.keep_signing_key(warehouse bigint, remote boolean, key_id text,
    sealed_secret text) RETURNS void
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  IF NOT remote THEN
    DELETE FROM pangolin_private.signing_keys k WHERE k.warehouse_id = warehouse;
    RETURN;
  END IF;
  IF key_id IS NULL OR sealed_secret IS NULL THEN
    RAISE EXCEPTION 'Warehouse % signs through pangolin serve (storage-access remote-signing), which signs with the'
                    ' warehouse''s static key: give it an access key id and a secret access key', warehouse
      USING ERRCODE = 'check_violation', CONSTRAINT = 'static_credentials_complete',
            HINT = 'pangolin warehouse set-credentials --credentials static --access-key-id ID --secret-env VAR';
  END IF;
  INSERT INTO pangolin_private.signing_keys (warehouse_id, access_key_id, secret_access_key)
  VALUES (warehouse, key_id, sealed_secret)
  ON CONFLICT (warehouse_id) DO UPDATE SET access_key_id = EXCLUDED.access_key_id,
                                           secret_access_key = EXCLUDED.secret_access_key;
END $$;

CREATE OR REPLACE FUNCTION pangolin.create_warehouse(tenant_name text, warehouse_name text, root text,
    allowed text[], settings jsonb, credential_type text, access_key_id text, secret_access_key text)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'warehouse ' || coalesce(warehouse_name, ''));
  new_id bigint;
BEGIN
  IF tenant IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM require_text('storage root', root, 4096);
  -- Confined to this tenant (R__45); the trigger warehouses_storage_confined checks again whoever writes.
  PERFORM require_storage_confined(NULL, tenant, warehouse_name, root, coalesce(allowed, '{}'), '{}');
  -- A remote-signing warehouse's key goes where only pangolin serve reads it (V19), never into its row.
  INSERT INTO warehouses (tenant_id, name, storage_root, allowed_locations, settings, credential_type, access_key_id,
                          secret_access_key)
  VALUES (tenant, warehouse_name, root, coalesce(allowed, '{}'), coalesce(settings, '{}'), credential_type,
          CASE WHEN NOT signs_remotely(settings) THEN access_key_id END,
          CASE WHEN NOT signs_remotely(settings) THEN secret_access_key END)
  RETURNING id INTO new_id;
  PERFORM keep_signing_key(new_id, signs_remotely(settings), access_key_id, secret_access_key);
  RETURN new_id;
END $$;

CREATE OR REPLACE FUNCTION pangolin.set_warehouse_credentials(tenant_name text, warehouse_name text,
    new_type text, new_key_id text, new_secret text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'warehouse ' || coalesce(warehouse_name, ''));
  wh warehouses;
BEGIN
  SELECT * INTO wh FROM warehouses w WHERE w.tenant_id = tenant AND w.name = warehouse_name FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  PERFORM keep_signing_key(wh.id, signs_remotely(wh.settings), new_key_id, new_secret);
  UPDATE warehouses w
  SET credential_type = new_type,
      access_key_id = CASE WHEN NOT signs_remotely(wh.settings) THEN new_key_id END,
      secret_access_key = CASE WHEN NOT signs_remotely(wh.settings) THEN new_secret END,
      config_version = config_version + 1, updated_at = now()
  WHERE w.id = wh.id;
  RETURN 1;
END $$;

-- Merges settings into the row, removes the unset keys, and adds and removes allowed locations keeping their
-- order; nothing the update does not name changes.
CREATE OR REPLACE FUNCTION pangolin.update_warehouse_storage(tenant_name text, warehouse_name text,
    set_settings jsonb, unset_keys text[], add_locations text[], remove_locations text[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'warehouse ' || coalesce(warehouse_name, ''));
  wh warehouses;
  next_allowed text[];
  next_settings jsonb;
  changed integer;
BEGIN
  SELECT * INTO wh FROM warehouses w WHERE w.tenant_id = tenant AND w.name = warehouse_name FOR UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  next_allowed := ARRAY(
    SELECT l FROM unnest(wh.allowed_locations || coalesce(add_locations, '{}')) WITH ORDINALITY AS a(l, i)
    WHERE l <> ALL (coalesce(remove_locations, '{}'))
    GROUP BY l ORDER BY min(i));
  IF next_allowed IS DISTINCT FROM wh.allowed_locations THEN
    -- Confined to this tenant (R__45); only locations the warehouse did not have are checked against the file root.
    PERFORM require_storage_confined(wh.id, tenant, warehouse_name, wh.storage_root, next_allowed,
                                     wh.storage_root || wh.allowed_locations);
  END IF;
  next_settings := (wh.settings || coalesce(set_settings, '{}')) - coalesce(unset_keys, '{}');
  -- Turning remote signing on moves the key out of the row to where only pangolin serve reads it; turning it off
  -- moves it back.
  IF signs_remotely(next_settings) AND NOT signs_remotely(wh.settings) THEN
    PERFORM keep_signing_key(wh.id, true, wh.access_key_id, wh.secret_access_key);
    wh.access_key_id := NULL;
    wh.secret_access_key := NULL;
  ELSIF signs_remotely(wh.settings) AND NOT signs_remotely(next_settings) THEN
    SELECT k.access_key_id, k.secret_access_key INTO wh.access_key_id, wh.secret_access_key
    FROM pangolin_private.signing_keys k WHERE k.warehouse_id = wh.id;
    PERFORM keep_signing_key(wh.id, false, NULL, NULL);
  END IF;
  UPDATE warehouses w
  SET settings = next_settings, access_key_id = wh.access_key_id, secret_access_key = wh.secret_access_key,
      allowed_locations = next_allowed,
      config_version = config_version + 1, updated_at = now()
  WHERE w.id = wh.id;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END $$;

CREATE OR REPLACE FUNCTION pangolin.delete_warehouse(tenant_name text, warehouse_name text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'warehouse ' || coalesce(warehouse_name, ''));
  removed integer;
BEGIN
  DELETE FROM warehouses w WHERE w.tenant_id = tenant AND w.name = warehouse_name;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

-- The warehouse must be the tenant's own (the foreign key on (warehouse_id, tenant_id) says so too).
CREATE OR REPLACE FUNCTION pangolin.create_catalog(tenant_name text, catalog_name text, warehouse_name text,
    jdbc_catalog_name text, props jsonb) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'catalog ' || coalesce(catalog_name, ''));
  new_id bigint;
BEGIN
  IF tenant IS NULL THEN
    RETURN NULL;
  END IF;
  -- A JDBC-catalog name is one of the tenant's own (R__46): it starts with the tenant's name and _, and not with a
  -- longer tenant's name and _, so that no tenant takes another's default name <tenant>_<catalog>. The trigger
  -- catalogs_jdbc_name_own says so again for any write around this function.
  PERFORM lock_jdbc_names();
  -- A catalog of the name is the cause, whatever else the request gets wrong: its default JDBC-catalog name is taken
  -- too, and the index that refuses the insert first need not be the one of the catalog's name. Checked under the
  -- lock every catalog insert takes, so no concurrent create slips between the check and the insert.
  IF EXISTS (SELECT 1 FROM catalogs c WHERE c.tenant_id = tenant AND c.name = catalog_name) THEN
    RAISE EXCEPTION 'Catalog % already exists in tenant %', shown(catalog_name), tenant_name
      USING ERRCODE = 'unique_violation', CONSTRAINT = 'catalogs_tenant_id_name_key';
  END IF;
  IF jdbc_name_tenant(jdbc_catalog_name) IS DISTINCT FROM tenant THEN
    RAISE EXCEPTION 'JDBC-catalog name % of catalog %/% is not one of tenant %''s names',
      coalesce(shown(jdbc_catalog_name), 'none'), tenant_name, catalog_name, tenant_name
      USING ERRCODE = 'check_violation', CONSTRAINT = 'catalogs_jdbc_name_own',
            HINT = format('Choose a name that starts with %s_ and not with the name of another, longer, tenant and _'
                          ' (the default %s_%s is one unless it is).', tenant_name, tenant_name, catalog_name);
  END IF;
  INSERT INTO catalogs (tenant_id, name, warehouse_id, jdbc_name, properties)
  VALUES (tenant, catalog_name,
          (SELECT w.id FROM warehouses w WHERE w.tenant_id = tenant AND w.name = warehouse_name),
          jdbc_catalog_name, coalesce(props, '{}'))
  RETURNING id INTO new_id;
  RETURN new_id;
END $$;

CREATE OR REPLACE FUNCTION pangolin.delete_catalog(tenant_name text, catalog_name text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'catalog ' || coalesce(catalog_name, ''));
  removed integer;
BEGIN
  DELETE FROM catalogs c WHERE c.tenant_id = tenant AND c.name = catalog_name;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

CREATE OR REPLACE FUNCTION pangolin.set_drop_retention(tenant_name text, catalog_name text, seconds bigint)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  tenant bigint := administered_tenant(tenant_name, 'catalog ' || coalesce(catalog_name, ''));
  changed integer;
BEGIN
  UPDATE catalogs c SET drop_retention = make_interval(secs => seconds)
  WHERE c.tenant_id = tenant AND c.name = catalog_name;
  GET DIAGNOSTICS changed = ROW_COUNT;
  RETURN changed;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION
    pangolin.create_tenant(text), pangolin.delete_tenant(text), pangolin.add_tenant_admin(text, name), pangolin.remove_tenant_admin(text, name),
    pangolin.forget_principal(name)
  TO pangolin_platform_admin;
-- pangolin.drop_principal (R__15) forgets a principal before dropping it.
GRANT EXECUTE ON FUNCTION pangolin.forget_principal(name) TO pangolin_role_admin;
GRANT EXECUTE ON FUNCTION
    pangolin.create_warehouse(text, text, text, text[], jsonb, text, text, text),
    pangolin.set_warehouse_credentials(text, text, text, text, text),
    pangolin.update_warehouse_storage(text, text, jsonb, text[], text[], text[]),
    pangolin.delete_warehouse(text, text), pangolin.create_catalog(text, text, text, text, jsonb),
    pangolin.delete_catalog(text, text), pangolin.set_drop_retention(text, text, bigint)
  TO pangolin_principal;
