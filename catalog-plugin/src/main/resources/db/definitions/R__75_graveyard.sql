-- The graveyard: a dropped table or view is kept (pointer and all) until its catalog's retention ends; undrop
-- restores it, gc forgets it once its files are dealt with. Rights: UNDROP where it was dropped from and where it
-- is restored to; GC on the catalog.
SET ROLE pangolin_owner;

-- Every drop of a table or view on main lands here, whoever deletes the row (a drop, a merged drop).
CREATE OR REPLACE FUNCTION pangolin_private.keep_dropped_relation() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  INSERT INTO dropped_relations (relation_id, catalog_id, namespace_levels, name, kind, metadata_location,
                                 previous_metadata_location, created_at, purge_requested, retain_until)
  SELECT OLD.id, n.catalog_id, n.levels, OLD.name, OLD.kind, OLD.metadata_location, OLD.previous_metadata_location,
         OLD.created_at, false, now() + c.drop_retention
  FROM namespaces n JOIN catalogs c ON c.id = n.catalog_id
  WHERE n.id = OLD.namespace_id;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER relations_keep_dropped AFTER DELETE ON pangolin.relations
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.keep_dropped_relation();

-- Marks the latest drop of a table by the acting principal on main for purge by gc.
CREATE OR REPLACE FUNCTION pangolin.request_purge(catalog bigint, levels text[], relation_name text) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  marked integer;
BEGIN
  PERFORM require_levels(levels);
  PERFORM require_text('table name', relation_name, 255);
  UPDATE dropped_relations d SET purge_requested = true
  WHERE d.id = (SELECT max(g.id) FROM dropped_relations g
                WHERE g.catalog_id = catalog AND g.namespace_levels = levels AND g.name = relation_name
                  AND g.kind = 'TABLE' AND g.dropped_by = acting_principal() AND g.ref_id IS NULL);
  GET DIAGNOSTICS marked = ROW_COUNT;
  RETURN marked > 0;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.require_privilege(privilege text, catalog bigint, namespace bigint,
                                                              what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  IF NOT pangolin_private.holds(privilege, catalog, namespace, NULL) THEN
    PERFORM pangolin_private.refuse(privilege, what);
  END IF;
END $$;

-- Refuses (42501) unless the acting principal holds GC on the catalog.
CREATE OR REPLACE FUNCTION pangolin.require_gc(catalog bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  PERFORM require_privilege('GC', catalog, NULL,
    'catalog ' || coalesce((SELECT c.name FROM catalogs c WHERE c.id = catalog AND sees(c.id, NULL, NULL)),
                           'id ' || catalog));
  RETURN true;
END $$;

-- Whether any pointer but graveyard row except_dropped references files under location. Asked by gc before it
-- deletes a dropped table's files, so it needs GC on that row's catalog.
-- It answers about the pointers of that row's tenant only (live tables and views, the graveyard, every branch and
-- tag of every catalog of the tenant), never another tenant's: an answer about another tenant's pointers would tell
-- the caller whether that tenant keeps anything under any path it names. That is enough for gc: gc deletes only
-- under the dropped row's own table root, which lies in the tenant's own warehouse (pointers must), and no warehouse
-- of another tenant overlaps a warehouse of this tenant (R__45, checked by a constraint trigger), so no pointer of
-- another tenant can lie under that root.
CREATE OR REPLACE FUNCTION pangolin.location_in_use(location text, except_dropped bigint) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  prefix text;
  tenant bigint;
BEGIN
  PERFORM require_text('location', location, 4096);
  PERFORM require_gc((SELECT d.catalog_id FROM dropped_relations d WHERE d.id = except_dropped));
  SELECT c.tenant_id INTO tenant
  FROM dropped_relations d JOIN catalogs c ON c.id = d.catalog_id WHERE d.id = except_dropped;
  prefix := rtrim(location, '/') || '/';
  RETURN EXISTS (SELECT 1 FROM relations r JOIN namespaces n ON n.id = r.namespace_id
                 JOIN catalogs c ON c.id = n.catalog_id
                 WHERE c.tenant_id = tenant AND starts_with(r.metadata_location, prefix))
      OR EXISTS (SELECT 1 FROM dropped_relations d JOIN catalogs c ON c.id = d.catalog_id
                 WHERE c.tenant_id = tenant AND d.id <> except_dropped AND starts_with(d.metadata_location, prefix))
      OR EXISTS (SELECT 1 FROM ref_relations rr JOIN catalogs c ON c.id = rr.catalog_id
                 WHERE c.tenant_id = tenant
                   AND (starts_with(rr.metadata_location, prefix) OR starts_with(rr.base_location, prefix)));
END $$;

-- Forgets a graveyard row whose retention has ended and records whether gc deleted its files.
CREATE OR REPLACE FUNCTION pangolin.collect_dropped(dropped bigint, files_deleted boolean) RETURNS boolean
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  d dropped_relations;
BEGIN
  SELECT * INTO d FROM dropped_relations g WHERE g.id = dropped;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  PERFORM require_gc(d.catalog_id);
  SELECT * INTO d FROM dropped_relations g WHERE g.id = dropped FOR UPDATE;
  IF d.retain_until > now() THEN
    RAISE EXCEPTION 'Dropped % %.% is retained until %', lower(d.kind), array_to_string(d.namespace_levels, '.'),
                    d.name, d.retain_until
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  DELETE FROM dropped_relations g WHERE g.id = d.id;
  PERFORM record_graveyard_change('GC', d, array_to_string(d.namespace_levels, '.') || '.' || d.name, NULL,
                                  jsonb_build_object('purge_requested', d.purge_requested,
                                                     'files_deleted', coalesce(files_deleted, false)));
  RETURN true;
END $$;

-- Restores a dropped table or view on the ref it was dropped from (NULL or 'main': main), under its own name or a
-- new one. Needs UNDROP where it was dropped from and where it goes.
CREATE OR REPLACE FUNCTION pangolin.undrop_relation(tenant_name text, catalog_name text, ref_name text,
    levels text[], relation_name text, dropped_id bigint, new_levels text[], new_name text)
  RETURNS TABLE (restored_id bigint, kind text, namespace_levels text[], name text, metadata_location text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  cat bigint;
  ref refs;
  on_ref text := '';
  d dropped_relations;
  matches bigint[];
  target_levels text[];
  target_name text;
  target_ns bigint;
  namespace_shown boolean;
  shown_name text;
  new_id bigint;
BEGIN
  PERFORM require_text('tenant name', tenant_name, 63);
  PERFORM require_text('catalog name', catalog_name, 63);
  PERFORM require_levels(levels);
  PERFORM require_text('table or view name', relation_name, 255);
  IF new_levels IS NOT NULL THEN
    PERFORM require_levels(new_levels);
  END IF;
  IF new_name IS NOT NULL THEN
    PERFORM require_text('table or view name', new_name, 255);
  END IF;
  SELECT c.id INTO cat FROM catalogs c JOIN tenants t ON t.id = c.tenant_id
  WHERE t.name = tenant_name AND c.name = catalog_name AND (sees(c.id, NULL, NULL) OR holds('UNDROP', c.id, NULL, NULL));
  IF cat IS NULL THEN
    RAISE EXCEPTION 'Unknown catalog ''%'' in tenant ''%''', catalog_name, tenant_name USING ERRCODE = 'undefined_object';
  END IF;
  IF coalesce(ref_name, 'main') <> 'main' THEN
    SELECT * INTO ref FROM refs f WHERE f.catalog_id = cat AND f.name = ref_name;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Unknown branch ''%'' in catalog ''%''', shown(ref_name), catalog_name
        USING ERRCODE = 'undefined_object', HINT = 'See the branches with ''pangolin branch list''.';
    END IF;
    on_ref := ' on branch ' || ref_name;
  END IF;
  shown_name := array_to_string(levels, '.') || '.' || relation_name;
  -- Where it was dropped from: UNDROP there first, so that nothing below tells about a namespace the principal
  -- may not restore from.
  PERFORM require_privilege('UNDROP', cat, namespace_anchor(cat, levels), shown_name || on_ref);
  IF dropped_id IS NULL THEN
    SELECT array_agg(g.id ORDER BY g.id) INTO matches FROM dropped_relations g
    WHERE g.catalog_id = cat AND g.namespace_levels = levels AND g.name = relation_name
      AND g.ref_id IS NOT DISTINCT FROM ref.id;
    IF cardinality(matches) > 1 THEN
      RAISE EXCEPTION 'Several dropped tables or views are named % (graveyard ids %)', shown(shown_name) || on_ref,
                      array_to_string(matches, ', ')
        USING ERRCODE = 'cardinality_violation',
              HINT = 'Choose one with --id (see ''pangolin table list --dropped'').';
    END IF;
    dropped_id := matches[1];
  END IF;
  SELECT * INTO d FROM dropped_relations g
  WHERE g.id = dropped_id AND g.catalog_id = cat AND g.namespace_levels = levels AND g.name = relation_name
    AND g.ref_id IS NOT DISTINCT FROM ref.id
  FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'No dropped table or view % (id %) in catalog ''%''%', shown(shown_name),
                    coalesce(dropped_id::text, 'any'), catalog_name, on_ref
      USING ERRCODE = 'undefined_object',
            HINT = 'See what can be restored with ''pangolin table list --dropped''; gc may have collected it.';
  END IF;
  target_levels := coalesce(new_levels, d.namespace_levels);
  target_name := coalesce(new_name, d.name);
  IF ref.id IS NULL THEN
    SELECT n.id INTO target_ns FROM namespaces n WHERE n.catalog_id = cat AND n.levels = target_levels;
    namespace_shown := target_ns IS NOT NULL;
  ELSE
    -- On a branch: the namespace as the ref shows it, governed by its nearest namespace on main.
    target_ns := namespace_anchor(cat, target_levels);
    namespace_shown := EXISTS (SELECT 1 FROM ref_namespace(cat, ref.id, target_levels));
  END IF;
  PERFORM require_privilege('UNDROP', cat, coalesce(target_ns, namespace_anchor(cat, target_levels)),
    format('%s %s (restoring it as %s.%s)', lower(d.kind), shown_name, array_to_string(target_levels, '.'),
           target_name));
  IF d.purge_requested AND d.retain_until <= now() THEN
    RAISE EXCEPTION 'Cannot restore % %: it was dropped with PURGE and its retention ended at %, so gc may already'
                    ' have deleted its files', lower(d.kind), shown(shown_name), d.retain_until
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF NOT namespace_shown THEN
    RAISE EXCEPTION 'Cannot restore % %: namespace % does not exist', lower(d.kind), shown(shown_name),
                    shown(array_to_string(target_levels, '.'))
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Create the namespace again first, or restore into another namespace with --as NAMESPACE.NAME.';
  END IF;
  IF ref.id IS NULL AND EXISTS (SELECT 1 FROM relations r WHERE r.namespace_id = target_ns AND r.name = target_name)
     OR ref.id IS NOT NULL AND EXISTS (SELECT 1 FROM ref_pointer(cat, ref.id, target_levels, target_name)) THEN
    RAISE EXCEPTION 'Cannot restore % %: the name %.% is taken%', lower(d.kind), shown(shown_name),
                    shown(array_to_string(target_levels, '.')), shown(target_name), on_ref
      USING ERRCODE = 'unique_violation',
            HINT = 'Restore it under another name with --as NAMESPACE.NAME, or rename or drop what holds the name.';
  END IF;
  PERFORM require_location_in_warehouse(cat, d.metadata_location, target_name);
  IF ref.id IS NULL THEN
    INSERT INTO relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
    VALUES (target_ns, target_name, d.kind, d.metadata_location, d.previous_metadata_location)
    RETURNING id INTO new_id;
  ELSE
    PERFORM writable_ref(ref.id, target_levels, format('%s %s.%s', lower(d.kind), array_to_string(target_levels, '.'),
                                                        target_name));
    PERFORM restore_on_ref(cat, ref, target_levels, target_name, d.kind, d.metadata_location);
  END IF;
  DELETE FROM dropped_relations g WHERE g.id = d.id;
  PERFORM record_graveyard_change('UNDROP', d, array_to_string(target_levels, '.') || '.' || target_name
                                  || coalesce('@' || ref.name, ''), d.metadata_location,
                                  jsonb_build_object('dropped_as', shown_name, 'ref', coalesce(ref.name, 'main')));
  RETURN QUERY SELECT new_id, d.kind, target_levels, target_name, d.metadata_location;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION
    pangolin.request_purge(bigint, text[], text), pangolin.require_gc(bigint),
    pangolin.location_in_use(text, bigint), pangolin.collect_dropped(bigint, boolean),
    pangolin.undrop_relation(text, text, text, text[], text, bigint, text[], text)
  TO pangolin_principal;
