-- Renames on a branch merge as renames, and drops on a branch are kept for undrop there.
--
-- Renames on a branch merge as renames. A rename on a ref records, on the row it creates, the name the relation
-- came from; merging moves the parent's row (main: one UPDATE of namespace, name and pointer on the same relations
-- row), so the relation keeps its id, its grants and its audit trail, and nothing lands in the graveyard.

ALTER TABLE ref_relations
  ADD COLUMN renamed_from_levels text[],
  ADD COLUMN renamed_from_name   text,
  ADD CONSTRAINT ref_relations_renamed_from_whole CHECK ((renamed_from_levels IS NULL) = (renamed_from_name IS NULL));

-- A relation created anew under a name (a create, not a commit) is not the one a rename once brought there.
CREATE FUNCTION forget_rename_on_create() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF OLD.metadata_location IS NULL AND NEW.metadata_location IS NOT NULL
     AND NEW.renamed_from_name IS NOT DISTINCT FROM OLD.renamed_from_name THEN
    NEW.renamed_from_levels := NULL;
    NEW.renamed_from_name := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER ref_relations_forget_rename BEFORE UPDATE OF metadata_location ON ref_relations
FOR EACH ROW EXECUTE FUNCTION forget_rename_on_create();

-- Moves a relation on a ref: the old name from expected to absent, the new name from absent to next, each through
-- ref_write (same grants and audit), then records where the new row came from. A chain (a -> b -> c) records its
-- first name; nothing is recorded when the relation is back under its first name, or when another row of the ref
-- already claims that first name (a relation created under the old name after it was renamed away, even if that
-- rename target was dropped since, is a new relation). Returns 1 when applied, 0 when the ref no longer showed
-- expected at the old name or showed something at the new one.
CREATE FUNCTION ref_move(ref bigint, from_levels text[], from_name text, expected text, to_levels text[],
                         to_name text, next text, rel_kind text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  origin_levels text[] := from_levels;
  origin_name text := from_name;
BEGIN
  SELECT rr.renamed_from_levels, rr.renamed_from_name INTO origin_levels, origin_name FROM ref_relations rr
  WHERE rr.ref_id = ref AND rr.levels = from_levels AND rr.name = from_name AND rr.renamed_from_name IS NOT NULL;
  IF NOT FOUND THEN
    origin_levels := from_levels;
    origin_name := from_name;
  END IF;
  -- The old name's drop is half of a move, not a drop to keep in the graveyard (see keep_dropped_ref_relation).
  PERFORM set_config('pangolin.moving', 'on', true);
  IF ref_write(ref, from_levels, from_name, rel_kind, expected, NULL) <> 1 THEN
    PERFORM set_config('pangolin.moving', 'off', true);
    RETURN 0;
  END IF;
  PERFORM set_config('pangolin.moving', 'off', true);
  IF ref_write(ref, to_levels, to_name, rel_kind, NULL, next) <> 1 THEN
    RETURN 0;
  END IF;
  UPDATE ref_relations rr SET renamed_from_levels = NULL, renamed_from_name = NULL
  WHERE rr.ref_id = ref AND rr.levels = from_levels AND rr.name = from_name;
  UPDATE ref_relations rr
  SET renamed_from_levels = CASE WHEN claimed THEN NULL ELSE origin_levels END,
      renamed_from_name = CASE WHEN claimed THEN NULL ELSE origin_name END
  FROM (SELECT (origin_levels = to_levels AND origin_name = to_name)
               OR EXISTS (SELECT 1 FROM ref_relations o
                          WHERE o.ref_id = ref AND o.renamed_from_levels = origin_levels
                            AND o.renamed_from_name = origin_name AND (o.levels, o.name) <> (to_levels, to_name))
          AS claimed) x
  WHERE rr.ref_id = ref AND rr.levels = to_levels AND rr.name = to_name;
  RETURN 1;
END $$;

-- A rename on a ref, as in V10 (the target namespace as the ref shows it), now recording where the relation came
-- from (see ref_move).
CREATE OR REPLACE FUNCTION ref_rename(ref bigint, from_levels text[], from_name text, to_levels text[], to_name text,
                                      rel_kind text) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  catalog bigint := (SELECT f.catalog_id FROM refs f WHERE f.id = ref);
  cur text;
BEGIN
  SELECT p.metadata_location INTO cur FROM ref_pointer(catalog, ref, from_levels, from_name) p
  WHERE p.kind = rel_kind;
  IF cur IS NULL THEN
    RETURN 0;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM ref_namespace(catalog, ref, to_levels)) THEN
    RAISE EXCEPTION 'Namespace % does not exist', array_to_string(to_levels, '.') USING ERRCODE = 'not_null_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM ref_pointer(catalog, ref, to_levels, to_name)) THEN
    RAISE EXCEPTION '% already exists', array_to_string(to_levels, '.') || '.' || to_name
      USING ERRCODE = 'unique_violation';
  END IF;
  IF ref_move(ref, from_levels, from_name, cur, to_levels, to_name, cur, rel_kind) <> 1 THEN
    RAISE EXCEPTION 'Cannot rename %: changed by another writer; retry', from_name USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN 1;
END $$;

-- A change in a merge plan may be half of a rename: the row a rename created carries the name it came from
-- (from_levels, from_name) and what the parent showed there (from_base); the row it left is moved_away.
ALTER TYPE merge_change
  ADD ATTRIBUTE from_levels text[],
  ADD ATTRIBUTE from_name text,
  ADD ATTRIBUTE from_base text,
  ADD ATTRIBUTE moved_away boolean;

-- As in V8, plus renames: a rename is merged as one when its source row is in the plan and the parent had the
-- relation there at the base (one created on the branch and renamed there merges as a plain create). Its conflicts
-- are those of its two names: the parent changed, dropped or renamed the source, or took the target name.
CREATE OR REPLACE FUNCTION merge_plan(catalog bigint, src_name text) RETURNS SETOF merge_change
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  src refs;
BEGIN
  IF NOT ref_may('MERGE', catalog, NULL, NULL) THEN
    PERFORM refuse_on_ref('MERGE', catalog, format('catalog id %s (merging branch %s)', catalog, src_name));
  END IF;
  SELECT * INTO src FROM refs f WHERE f.catalog_id = catalog AND f.name = src_name FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Branch "%" does not exist', src_name USING ERRCODE = 'no_data_found';
  END IF;
  IF src.kind = 'TAG' THEN
    RAISE EXCEPTION 'Cannot merge tag "%": only branches are merged', src_name USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF src.parent_id IS NULL THEN
    PERFORM 1 FROM catalogs c WHERE c.id = catalog FOR NO KEY UPDATE;
  ELSIF (SELECT f.kind FROM refs f WHERE f.id = src.parent_id FOR UPDATE) = 'TAG' THEN
    RAISE EXCEPTION 'Cannot merge branch "%" into tag "%": tags are immutable', src_name,
      (SELECT f.name FROM refs f WHERE f.id = src.parent_id) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    WITH changed AS (
      SELECT rr.* FROM ref_relations rr
      WHERE rr.ref_id = src.id AND rr.metadata_location IS DISTINCT FROM rr.base_location),
    moves AS (
      SELECT t.levels, t.name, s.levels AS from_levels, s.name AS from_name, s.base_location AS from_base
      FROM changed t JOIN changed s ON s.levels = t.renamed_from_levels AND s.name = t.renamed_from_name
      WHERE t.metadata_location IS NOT NULL AND s.base_location IS NOT NULL AND s.kind = t.kind)
    SELECT c.ref_id, src.parent_id, c.levels, c.name, c.kind, c.metadata_location, c.base_location,
           (SELECT p.metadata_location FROM ref_pointer(catalog, src.parent_id, c.levels, c.name) p)
             IS DISTINCT FROM c.base_location,
           m.from_levels, m.from_name, m.from_base,
           EXISTS (SELECT 1 FROM moves o WHERE o.from_levels = c.levels AND o.from_name = c.name)
    FROM changed c LEFT JOIN moves m ON m.levels = c.levels AND m.name = c.name
    ORDER BY c.levels, c.name;
END $$;

-- A compare-and-swap of a merge that matched no row: a writer changed the relation on the parent after the plan.
CREATE FUNCTION require_merge_applied(applied integer, src_name text, rel_kind text, levels text[], rel_name text)
RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF applied IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'Merge of branch "%" refused: % %.% changed on its parent during the merge', src_name,
      lower(rel_kind), array_to_string(levels, '.'), rel_name USING ERRCODE = 'serialization_failure';
  END IF;
END $$;

-- Applies one change of a merge to the parent as a compare-and-swap against base: main through the principal's own
-- INSERT, UPDATE or DELETE on relations (its policies, location check, audit and graveyard apply), a branch
-- through ref_write. Not SECURITY DEFINER, for the same reason as merge_ref.
CREATE FUNCTION merge_change_into_parent(catalog bigint, src_name text, c merge_change, base text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  applied integer;
BEGIN
  IF c.parent_id IS NOT NULL THEN
    applied := ref_write(c.parent_id, c.levels, c.name, c.kind, base, c.metadata_location);
  ELSIF base IS NULL THEN
    INSERT INTO relations (namespace_id, name, kind, metadata_location)
    SELECT n.id, c.name, c.kind, c.metadata_location FROM namespaces n
    WHERE n.catalog_id = catalog AND n.levels = c.levels;
    GET DIAGNOSTICS applied = ROW_COUNT;
  ELSIF c.metadata_location IS NULL THEN
    DELETE FROM relations r USING namespaces n
    WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
      AND r.metadata_location = base;
    GET DIAGNOSTICS applied = ROW_COUNT;
  ELSE
    UPDATE relations r
    SET metadata_location = c.metadata_location, previous_metadata_location = r.metadata_location, kind = c.kind,
        updated_at = now()
    FROM namespaces n
    WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
      AND r.metadata_location = base;
    GET DIAGNOSTICS applied = ROW_COUNT;
  END IF;
  PERFORM require_merge_applied(applied, src_name, c.kind, c.levels, c.name);
END $$;

-- Applies the renames of a merge plan to the parent, each as a move of the parent's row from from_name (still at
-- from_base) to its new name and pointer: on main one UPDATE of the same relations row. A relation the branch
-- dropped at the target name goes first (to main's graveyard, as any merged drop); a target that is itself renamed
-- away waits for that move. Renames that form a cycle (a swap) have no such order and are refused.
CREATE FUNCTION merge_renames(catalog bigint, src_name text, plan merge_change[]) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  pending merge_change[] := ARRAY(SELECT m FROM unnest(plan) m WHERE m.from_name IS NOT NULL);
  c merge_change;
  applied integer;
BEGIN
  WHILE cardinality(pending) > 0 LOOP
    SELECT m.* INTO c FROM unnest(pending) m
    WHERE NOT EXISTS (SELECT 1 FROM unnest(pending) o WHERE o.from_levels = m.levels AND o.from_name = m.name)
    LIMIT 1;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Merge of branch "%" refused: its renames % form a cycle (names swapped), which cannot be'
                      ' applied one after another. On the branch rename one of them to a free name, merge, then rename'
                      ' it to its final name and merge again', src_name,
        (SELECT string_agg(array_to_string(m.from_levels, '.') || '.' || m.from_name || ' -> '
                           || array_to_string(m.levels, '.') || '.' || m.name, ', ' ORDER BY m.levels, m.name)
         FROM unnest(pending) m)
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF c.base_location IS NOT NULL AND NOT c.moved_away THEN
      PERFORM merge_change_into_parent(catalog, src_name,
        ROW(c.ref_id, c.parent_id, c.levels, c.name, c.kind, NULL, c.base_location, false, NULL, NULL, NULL, false)
          ::merge_change, c.base_location);
    END IF;
    IF c.parent_id IS NOT NULL THEN
      applied := ref_move(c.parent_id, c.from_levels, c.from_name, c.from_base, c.levels, c.name, c.metadata_location,
                          c.kind);
    ELSE
      UPDATE relations r
      SET namespace_id = (SELECT t.id FROM namespaces t WHERE t.catalog_id = catalog AND t.levels = c.levels),
          name = c.name, metadata_location = c.metadata_location,
          previous_metadata_location = CASE WHEN r.metadata_location = c.metadata_location
                                            THEN r.previous_metadata_location ELSE r.metadata_location END,
          updated_at = now()
      FROM namespaces n
      WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.from_levels AND r.name = c.from_name
        AND r.kind = c.kind AND r.metadata_location = c.from_base;
      GET DIAGNOSTICS applied = ROW_COUNT;
    END IF;
    PERFORM require_merge_applied(applied, src_name, c.kind, c.from_levels, c.from_name);
    pending := ARRAY(SELECT m FROM unnest(pending) m WHERE (m.levels, m.name) <> (c.levels, c.name));
  END LOOP;
END $$;

-- A row merged is its parent's state again: it records no rename any more.
CREATE OR REPLACE FUNCTION finish_merge(catalog bigint, src bigint, into_name text, changes integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF NOT ref_may('MERGE', catalog, NULL, NULL) THEN
    PERFORM refuse_on_ref('MERGE', catalog, format('catalog id %s (merging into %s)', catalog, into_name));
  END IF;
  -- Only changes the parent now shows: called on its own, this cannot make a branch forget unmerged changes.
  UPDATE ref_relations rr SET base_location = rr.metadata_location, renamed_from_levels = NULL, renamed_from_name = NULL
  FROM refs f
  WHERE f.id = src AND rr.ref_id = src AND rr.metadata_location IS DISTINCT FROM rr.base_location
    AND (SELECT p.metadata_location FROM ref_pointer(catalog, f.parent_id, rr.levels, rr.name) p)
        IS NOT DISTINCT FROM rr.metadata_location;
  UPDATE refs f SET last_merged_at = now() WHERE f.id = src;
  PERFORM audit_ref(catalog, src, (SELECT f.name FROM refs f WHERE f.id = src), 'MERGE', NULL, NULL,
    jsonb_build_object('into', into_name, 'changes', changes));
END $$;

-- Merges branch src into its parent in one transaction: refuses, naming every conflict (V10's namespace conflicts
-- included), or applies every change: namespace creates and property changes (V10), renames (each moves the
-- parent's row), the other changes, then namespace drops; a name a rename left is created anew
-- (base NULL) if the branch put another relation there, and is otherwise done.
CREATE OR REPLACE FUNCTION merge_ref(catalog bigint, src_name text) RETURNS TABLE (conflict text)
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  plan merge_change[] := ARRAY(SELECT m FROM merge_plan(catalog, src_name) m);
  c merge_change;
  into_name text := 'main';
BEGIN
  RETURN QUERY SELECT array_to_string(m.levels, '.') || '.' || m.name FROM unnest(plan) m WHERE m.conflict
    UNION ALL SELECT merge_namespace_conflicts(catalog, src_name);
  IF FOUND THEN
    RETURN;
  END IF;
  PERFORM merge_namespaces(catalog, src_name, false);
  PERFORM merge_renames(catalog, src_name, plan);
  FOREACH c IN ARRAY plan LOOP
    CONTINUE WHEN c.from_name IS NOT NULL OR (c.moved_away AND c.metadata_location IS NULL);
    PERFORM merge_change_into_parent(catalog, src_name, c, CASE WHEN c.moved_away THEN NULL ELSE c.base_location END);
  END LOOP;
  PERFORM merge_namespaces(catalog, src_name, true);
  SELECT coalesce(p.name, 'main') INTO into_name
  FROM refs f LEFT JOIN refs p ON p.id = f.parent_id WHERE f.catalog_id = catalog AND f.name = src_name;
  PERFORM finish_merge(catalog, (SELECT f.id FROM refs f WHERE f.catalog_id = catalog AND f.name = src_name),
    into_name, cardinality(plan));
END $$;

-- Drops on a branch are kept. A drop on a ref (ref_write to absent, through the plugin or a merge into a branch)
-- keeps the pointer the ref showed last in the graveyard, with the ref it was dropped from, for the catalog's
-- retention; undrop restores it on that ref only. Rows of a ref go with the ref when it is deleted. A drop with
-- PURGE on a ref deletes its files at once (see PurgeHold), so it is not kept; neither is the old name of a move.
-- relation_id and created_at belong to main's relations and are NULL for a drop on a ref.
ALTER TABLE dropped_relations
  ADD COLUMN ref_id bigint REFERENCES refs (id) ON DELETE CASCADE,
  ALTER COLUMN relation_id DROP NOT NULL,
  ALTER COLUMN created_at DROP NOT NULL,
  ADD CONSTRAINT dropped_relations_main_identity
    CHECK (ref_id IS NOT NULL OR (relation_id IS NOT NULL AND created_at IS NOT NULL));
CREATE INDEX dropped_relations_by_ref ON dropped_relations (ref_id) WHERE ref_id IS NOT NULL;

CREATE FUNCTION keep_dropped_ref_relation() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  last_location text := CASE TG_OP WHEN 'INSERT' THEN NEW.base_location ELSE OLD.metadata_location END;
BEGIN
  IF NEW.metadata_location IS NOT NULL OR last_location IS NULL
     OR coalesce(current_setting('pangolin.moving', true), '') = 'on'
     OR coalesce(current_setting('pangolin.purge_requested', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  INSERT INTO dropped_relations (catalog_id, namespace_levels, name, kind, metadata_location, retain_until, ref_id)
  SELECT NEW.catalog_id, NEW.levels, NEW.name, NEW.kind, last_location, now() + c.drop_retention, NEW.ref_id
  FROM catalogs c WHERE c.id = NEW.catalog_id;
  RETURN NULL;
END $$;

CREATE TRIGGER ref_relations_keep_dropped AFTER INSERT OR UPDATE OF metadata_location ON ref_relations
FOR EACH ROW EXECUTE FUNCTION keep_dropped_ref_relation();

-- As in V7, for main's own drops only: a later drop of the same name on a branch is not the one the engine purges.
CREATE OR REPLACE FUNCTION request_purge(catalog bigint, levels text[], relation_name text) RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH marked AS (
    UPDATE dropped_relations d SET purge_requested = true
    WHERE d.id = (SELECT max(g.id) FROM dropped_relations g
                  WHERE g.catalog_id = catalog AND g.namespace_levels = levels AND g.name = relation_name
                    AND g.kind = 'TABLE' AND g.dropped_by = session_user AND g.ref_id IS NULL)
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM marked)
$$;

-- Puts a restored pointer back on a ref where it shows nothing: its own row when it has one (absent there), else a
-- new row whose base is absent, as the parent shows nothing either. Audited as a create on the ref.
CREATE FUNCTION restore_on_ref(catalog bigint, ref refs, ns_levels text[], rel_name text, rel_kind text,
                               location text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  UPDATE ref_relations rr SET metadata_location = location, kind = rel_kind, updated_at = now()
  WHERE rr.ref_id = ref.id AND rr.levels = ns_levels AND rr.name = rel_name AND rr.metadata_location IS NULL;
  IF NOT FOUND THEN
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    VALUES (ref.id, catalog, ns_levels, rel_name, rel_kind, location, NULL);
  END IF;
  PERFORM audit_ref(catalog, ref.id, array_to_string(ns_levels, '.') || '.' || rel_name || '@' || ref.name, 'INSERT',
    NULL, location, jsonb_build_object('kind', rel_kind, 'ref', ref.name));
END $$;

-- Undrop on a ref (ref_name NULL or 'main': main, as in V7): the same lookups, refusals and UNDROP privilege,
-- among the drops of that ref only; the relation comes back on that ref only (restored_id NULL there: a ref's
-- rows have no id).
CREATE FUNCTION undrop_relation(tenant_name text, catalog_name text, ref_name text, levels text[],
                                relation_name text, dropped_id bigint, new_levels text[], new_name text)
RETURNS TABLE (restored_id bigint, kind text, namespace_levels text[], name text, metadata_location text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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
  shown text;
  new_id bigint;
BEGIN
  SELECT c.id INTO cat FROM catalogs c JOIN tenants t ON t.id = c.tenant_id
  WHERE t.name = tenant_name AND c.name = catalog_name
    AND (sees(c.id, NULL, NULL) OR may_restore_or_collect('UNDROP', c.id, NULL));
  IF cat IS NULL THEN
    RAISE EXCEPTION 'Unknown catalog ''%'' in tenant ''%''', catalog_name, tenant_name USING ERRCODE = 'undefined_object';
  END IF;
  IF coalesce(ref_name, 'main') <> 'main' THEN
    SELECT * INTO ref FROM refs f WHERE f.catalog_id = cat AND f.name = ref_name;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Unknown branch ''%'' in catalog ''%''', ref_name, catalog_name
        USING ERRCODE = 'undefined_object', HINT = 'See the branches with ''pangolin branch list''.';
    END IF;
    on_ref := ' on branch ' || ref_name;
  END IF;
  shown := array_to_string(levels, '.') || '.' || relation_name;
  IF dropped_id IS NULL THEN
    SELECT array_agg(g.id ORDER BY g.id) INTO matches FROM dropped_relations g
    WHERE g.catalog_id = cat AND g.namespace_levels = levels AND g.name = relation_name
      AND g.ref_id IS NOT DISTINCT FROM ref.id;
    IF cardinality(matches) > 1 THEN
      RAISE EXCEPTION 'Several dropped tables or views are named % (graveyard ids %)', shown || on_ref,
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
    RAISE EXCEPTION 'No dropped table or view % (id %) in catalog ''%''%', shown, coalesce(dropped_id::text, 'any'),
                    catalog_name, on_ref
      USING ERRCODE = 'undefined_object',
            HINT = 'See what can be restored with ''pangolin table list --dropped''; gc may have collected it.';
  END IF;
  target_levels := coalesce(new_levels, d.namespace_levels);
  target_name := coalesce(new_name, d.name);
  IF ref.id IS NULL THEN
    SELECT n.id INTO target_ns FROM namespaces n WHERE n.catalog_id = cat AND n.levels = target_levels;
    namespace_shown := target_ns IS NOT NULL;
  ELSE
    -- As V10 has it for a branch: the namespace as the ref shows it, governed by its nearest namespace on main.
    target_ns := namespace_anchor(cat, target_levels);
    namespace_shown := EXISTS (SELECT 1 FROM ref_namespace(cat, ref.id, target_levels));
  END IF;
  IF NOT may_restore_or_collect('UNDROP', cat, target_ns) THEN
    RAISE EXCEPTION 'permission denied: principal % lacks UNDROP on % %', session_user, lower(d.kind), shown
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF d.purge_requested AND d.retain_until <= now() THEN
    RAISE EXCEPTION 'Cannot restore % %: it was dropped with PURGE and its retention ended at %, so gc may already'
                    ' have deleted its files', lower(d.kind), shown, d.retain_until
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF NOT namespace_shown THEN
    RAISE EXCEPTION 'Cannot restore % %: namespace % does not exist', lower(d.kind), shown,
                    array_to_string(target_levels, '.')
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Create the namespace again first, or restore into another namespace with --as NAMESPACE.NAME.';
  END IF;
  IF ref.id IS NULL AND EXISTS (SELECT 1 FROM relations r WHERE r.namespace_id = target_ns AND r.name = target_name)
     OR ref.id IS NOT NULL AND EXISTS (SELECT 1 FROM ref_pointer(cat, ref.id, target_levels, target_name)) THEN
    RAISE EXCEPTION 'Cannot restore % %: the name %.% is taken%', lower(d.kind), shown,
                    array_to_string(target_levels, '.'), target_name, on_ref
      USING ERRCODE = 'unique_violation',
            HINT = 'Restore it under another name with --as NAMESPACE.NAME, or rename or drop what holds the name.';
  END IF;
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
                                  jsonb_build_object('restored_id', new_id, 'dropped_as', shown, 'ref',
                                                     coalesce(ref.name, 'main')));
  RETURN QUERY SELECT new_id, d.kind, target_levels, target_name, d.metadata_location;
END $$;

-- V7's undrop: main's drops only.
CREATE OR REPLACE FUNCTION undrop_relation(tenant_name text, catalog_name text, levels text[], relation_name text,
                                           dropped_id bigint, new_levels text[], new_name text)
RETURNS TABLE (restored_id bigint, kind text, namespace_levels text[], name text, metadata_location text)
LANGUAGE sql SET search_path = pg_catalog, pangolin AS $$
  SELECT * FROM undrop_relation(tenant_name, catalog_name, NULL::text, levels, relation_name, dropped_id, new_levels,
                                new_name)
$$;

ALTER FUNCTION forget_rename_on_create() OWNER TO pangolin_owner;
ALTER FUNCTION ref_move(bigint, text[], text, text, text[], text, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION merge_change_into_parent(bigint, text, merge_change, text) OWNER TO pangolin_owner;
ALTER FUNCTION merge_renames(bigint, text, merge_change[]) OWNER TO pangolin_owner;
ALTER FUNCTION require_merge_applied(integer, text, text, text[], text) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION forget_rename_on_create() FROM PUBLIC;
ALTER FUNCTION keep_dropped_ref_relation() OWNER TO pangolin_owner;
ALTER FUNCTION restore_on_ref(bigint, refs, text[], text, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION undrop_relation(text, text, text, text[], text, bigint, text[], text) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION keep_dropped_ref_relation() FROM PUBLIC;
REVOKE ALL ON FUNCTION restore_on_ref(bigint, refs, text[], text, text, text) FROM PUBLIC;
