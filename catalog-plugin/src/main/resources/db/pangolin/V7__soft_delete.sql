-- Soft delete. A dropped table or view leaves relations at once (its name is free again) and is kept in a
-- graveyard for its catalog's retention period, whoever dropped it: the plugin, Iceberg's JdbcCatalog, Trino or
-- psql. It can be restored (undrop) until 'pangolin gc' collects it after the retention ends; only gc deletes the
-- files of a table dropped with PURGE through the plugin (including Spark's DROP TABLE ... PURGE).

ALTER TABLE catalogs ADD COLUMN drop_retention interval NOT NULL DEFAULT interval '7 days'
  CONSTRAINT drop_retention_not_negative CHECK (drop_retention >= interval '0');

ALTER TABLE grants DROP CONSTRAINT IF EXISTS grants_privilege_check;
ALTER TABLE grants ADD CONSTRAINT grants_privilege_check CHECK (privilege IN ('READ', 'WRITE', 'CREATE', 'DROP', 'MANAGE_GRANTS', 'UNDROP', 'GC', 'CREATE_BRANCH', 'MERGE', 'DELETE_BRANCH'));

-- The namespace is kept by its levels, not by a foreign key: a namespace may be dropped (and created again)
-- while its dropped tables wait here. The catalog is a foreign key, so a catalog cannot be deleted while it
-- still holds dropped relations that gc has not collected.
CREATE TABLE dropped_relations (
  id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  relation_id                bigint NOT NULL,
  catalog_id                 bigint NOT NULL REFERENCES catalogs (id) ON DELETE RESTRICT,
  namespace_levels           text[] NOT NULL,
  name                       text NOT NULL,
  kind                       text NOT NULL CHECK (kind IN ('TABLE', 'VIEW')),
  metadata_location          text NOT NULL,
  previous_metadata_location text,
  created_at                 timestamptz NOT NULL,
  dropped_at                 timestamptz NOT NULL DEFAULT now(),
  dropped_by                 name NOT NULL DEFAULT session_user,
  purge_requested            boolean NOT NULL DEFAULT false,
  retain_until               timestamptz NOT NULL
);
CREATE INDEX dropped_relations_by_name ON dropped_relations (catalog_id, namespace_levels, name);
CREATE INDEX dropped_relations_due ON dropped_relations (retain_until);

-- Keeps every deleted relation. A drop asks for its files to be purged by setting pangolin.purge_requested
-- for its transaction in the same statement (the plugin does; JdbcCatalog and Trino delete files themselves).
CREATE FUNCTION keep_dropped_relation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  INSERT INTO dropped_relations (relation_id, catalog_id, namespace_levels, name, kind, metadata_location,
                                 previous_metadata_location, created_at, purge_requested, retain_until)
  SELECT OLD.id, n.catalog_id, n.levels, OLD.name, OLD.kind, OLD.metadata_location, OLD.previous_metadata_location,
         OLD.created_at, OLD.kind = 'TABLE' AND coalesce(current_setting('pangolin.purge_requested', true), '') = 'on',
         now() + c.drop_retention
  FROM namespaces n JOIN catalogs c ON c.id = n.catalog_id
  WHERE n.id = OLD.namespace_id;
  RETURN NULL;
END $$;

CREATE TRIGGER relations_keep_dropped AFTER DELETE ON relations
FOR EACH ROW EXECUTE FUNCTION keep_dropped_relation();

-- A dropped relation is visible to whoever sees its namespace (while it exists), may undrop into it, or may
-- collect the catalog's graveyard.
CREATE FUNCTION sees_dropped(catalog bigint, levels text[]) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH ns AS (SELECT (SELECT n.id FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = sees_dropped.levels)
                     AS id)
  SELECT may('GC', catalog, NULL, NULL) OR may('UNDROP', catalog, ns.id, NULL)
      OR (ns.id IS NOT NULL AND sees(catalog, ns.id, NULL))
  FROM ns
$$;

ALTER TABLE dropped_relations ENABLE ROW LEVEL SECURITY;
CREATE POLICY dropped_relations_read ON dropped_relations FOR SELECT USING (sees_dropped(catalog_id, namespace_levels));

-- may(), with the superuser (the operator's own login) keeping every right it had, as it bypasses the policies.
CREATE FUNCTION may_restore_or_collect(privilege text, catalog bigint, namespace bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user)
      OR may(privilege, catalog, namespace, NULL)
$$;

CREATE FUNCTION record_graveyard_change(action text, d dropped_relations, relation_name text, new_ptr text,
                                        detail jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  INSERT INTO audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer, detail)
  SELECT c.tenant_id, 'dropped_relations', d.id, relation_name, action, d.metadata_location, new_ptr,
         jsonb_build_object('kind', d.kind, 'relation_id', d.relation_id) || detail
  FROM catalogs c WHERE c.id = d.catalog_id
$$;

-- Restores a dropped relation, by graveyard id or (when dropped_id is NULL) by the name it was dropped under,
-- into its namespace under its own name or into new_levels/new_name. Its metadata files were never deleted, so
-- its history is intact.
CREATE FUNCTION undrop_relation(tenant_name text, catalog_name text, levels text[], relation_name text,
                                dropped_id bigint, new_levels text[], new_name text)
RETURNS TABLE (restored_id bigint, kind text, namespace_levels text[], name text, metadata_location text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  cat bigint;
  d dropped_relations;
  matches bigint[];
  target_levels text[];
  target_name text;
  target_ns bigint;
  shown text;
  new_id bigint;
BEGIN
  SELECT c.id INTO cat FROM catalogs c JOIN tenants t ON t.id = c.tenant_id
  WHERE t.name = tenant_name AND c.name = catalog_name
    AND (sees(c.id, NULL, NULL) OR may_restore_or_collect('UNDROP', c.id, NULL));
  IF cat IS NULL THEN
    RAISE EXCEPTION 'Unknown catalog ''%'' in tenant ''%''', catalog_name, tenant_name USING ERRCODE = 'undefined_object';
  END IF;
  shown := array_to_string(levels, '.') || '.' || relation_name;
  IF dropped_id IS NULL THEN
    SELECT array_agg(g.id ORDER BY g.id) INTO matches FROM dropped_relations g
    WHERE g.catalog_id = cat AND g.namespace_levels = levels AND g.name = relation_name;
    IF cardinality(matches) > 1 THEN
      RAISE EXCEPTION 'Several dropped tables or views are named % (graveyard ids %)', shown,
                      array_to_string(matches, ', ')
        USING ERRCODE = 'cardinality_violation',
              HINT = 'Choose one with --id (see ''pangolin table list --dropped'').';
    END IF;
    dropped_id := matches[1];
  END IF;
  SELECT * INTO d FROM dropped_relations g
  WHERE g.id = dropped_id AND g.catalog_id = cat AND g.namespace_levels = levels AND g.name = relation_name
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No dropped table or view % (id %) in catalog ''%''', shown, coalesce(dropped_id::text, 'any'),
                    catalog_name
      USING ERRCODE = 'undefined_object',
            HINT = 'See what can be restored with ''pangolin table list --dropped''; gc may have collected it.';
  END IF;
  target_levels := coalesce(new_levels, d.namespace_levels);
  target_name := coalesce(new_name, d.name);
  SELECT n.id INTO target_ns FROM namespaces n WHERE n.catalog_id = cat AND n.levels = target_levels;
  IF NOT may_restore_or_collect('UNDROP', cat, target_ns) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks UNDROP on % %', session_user, lower(d.kind), shown
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF d.purge_requested AND d.retain_until <= now() THEN
    RAISE EXCEPTION 'Cannot restore % %: it was dropped with PURGE and its retention ended at %, so gc may already'
                    ' have deleted its files', lower(d.kind), shown, d.retain_until
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF target_ns IS NULL THEN
    RAISE EXCEPTION 'Cannot restore % %: namespace % does not exist', lower(d.kind), shown,
                    array_to_string(target_levels, '.')
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Create the namespace again first, or restore into another namespace with --as NAMESPACE.NAME.';
  END IF;
  IF EXISTS (SELECT 1 FROM relations r WHERE r.namespace_id = target_ns AND r.name = target_name) THEN
    RAISE EXCEPTION 'Cannot restore % %: the name %.% is taken', lower(d.kind), shown,
                    array_to_string(target_levels, '.'), target_name
      USING ERRCODE = 'unique_violation',
            HINT = 'Restore it under another name with --as NAMESPACE.NAME, or rename or drop what holds the name.';
  END IF;
  INSERT INTO relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
  VALUES (target_ns, target_name, d.kind, d.metadata_location, d.previous_metadata_location)
  RETURNING id INTO new_id;
  DELETE FROM dropped_relations g WHERE g.id = d.id;
  PERFORM record_graveyard_change('UNDROP', d, array_to_string(target_levels, '.') || '.' || target_name,
                                  d.metadata_location, jsonb_build_object('restored_id', new_id, 'dropped_as', shown));
  RETURN QUERY SELECT new_id, d.kind, target_levels, target_name, d.metadata_location;
END $$;

-- An engine that purges a table itself after a plain drop (Spark's DROP TABLE ... PURGE) has its deletes held back by
-- the plugin, which marks the drop for purge here instead. Only the principal that dropped it may.
CREATE FUNCTION request_purge(catalog bigint, levels text[], relation_name text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH marked AS (
    UPDATE dropped_relations d SET purge_requested = true
    WHERE d.id = (SELECT max(g.id) FROM dropped_relations g
                  WHERE g.catalog_id = catalog AND g.namespace_levels = levels AND g.name = relation_name
                    AND g.kind = 'TABLE' AND g.dropped_by = session_user)
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM marked)
$$;

CREATE FUNCTION require_gc(catalog bigint) RETURNS boolean
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF NOT may_restore_or_collect('GC', catalog, NULL) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks GC on catalog %',
                    session_user, (SELECT c.name FROM catalogs c WHERE c.id = catalog)
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN true;
END $$;

-- Does any pointer other than graveyard row except_dropped still reference files under location (a table's
-- location)? gc leaves such a table's files alone.
CREATE FUNCTION location_in_use(location text, except_dropped bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH prefix AS (SELECT rtrim(location, '/') || '/' AS p)
  SELECT EXISTS (SELECT 1 FROM relations r, prefix WHERE starts_with(r.metadata_location, prefix.p))
      OR EXISTS (SELECT 1 FROM dropped_relations d, prefix
                 WHERE d.id <> except_dropped AND starts_with(d.metadata_location, prefix.p))
$$;

-- gc's bookkeeping: forgets a graveyard row whose retention has ended, after its files (if purge was asked)
-- are deleted, and records it.
CREATE FUNCTION collect_dropped(dropped bigint, files_deleted boolean) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  d dropped_relations;
BEGIN
  SELECT * INTO d FROM dropped_relations g WHERE g.id = dropped FOR UPDATE;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM require_gc(d.catalog_id);
  IF d.retain_until > now() THEN
    RAISE EXCEPTION 'Dropped % %.% is retained until %', lower(d.kind), array_to_string(d.namespace_levels, '.'),
                    d.name, d.retain_until
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  DELETE FROM dropped_relations g WHERE g.id = d.id;
  PERFORM record_graveyard_change('GC', d, array_to_string(d.namespace_levels, '.') || '.' || d.name, NULL,
                                  jsonb_build_object('purge_requested', d.purge_requested,
                                                     'files_deleted', files_deleted));
  RETURN true;
END $$;

ALTER TABLE dropped_relations OWNER TO pangolin_owner;
REVOKE ALL ON dropped_relations FROM PUBLIC;
GRANT SELECT ON dropped_relations TO pangolin_principal, pangolin_platform_admin;
ALTER FUNCTION keep_dropped_relation() OWNER TO pangolin_owner;
ALTER FUNCTION sees_dropped(bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION record_graveyard_change(text, dropped_relations, text, text, jsonb) OWNER TO pangolin_owner;
ALTER FUNCTION undrop_relation(text, text, text[], text, bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION require_gc(bigint) OWNER TO pangolin_owner;
ALTER FUNCTION request_purge(bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION may_restore_or_collect(text, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION location_in_use(text, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION collect_dropped(bigint, boolean) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION keep_dropped_relation() FROM PUBLIC;
REVOKE ALL ON FUNCTION record_graveyard_change(text, dropped_relations, text, text, jsonb) FROM PUBLIC;
