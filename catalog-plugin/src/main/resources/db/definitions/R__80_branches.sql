-- Branches and tags: a ref overlays its own pointers (ref_relations) and namespaces (ref_namespaces) on its
-- parent's, down to main. Reads are invoker functions (row-level security decides what a principal sees); every
-- change is a definer function checking the same READ/WRITE/CREATE/DROP grants as on main, plus CREATE_BRANCH and
-- DELETE_BRANCH on the catalog.
SET ROLE pangolin_owner;

-- Whether levels lie inside a branch's chosen namespaces (NULL: the branch holds every namespace).
CREATE OR REPLACE FUNCTION pangolin.levels_in_scope(scope jsonb, ns_levels text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT scope IS NULL OR EXISTS (
    SELECT 1 FROM jsonb_array_elements(scope) s
    WHERE cardinality(ns_levels) >= jsonb_array_length(s.value)
      AND ns_levels[1:jsonb_array_length(s.value)] = ARRAY(SELECT jsonb_array_elements_text(s.value)))
$$;

-- Why a ref cannot hold these levels (the nearest ref of its chain that leaves them out), or NULL.
CREATE OR REPLACE FUNCTION pangolin.ref_out_of_scope(ref bigint, ns_levels text[]) RETURNS text
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH RECURSIVE chain AS (
    SELECT f.id, f.parent_id, f.name, f.namespaces, 0 AS depth FROM refs f WHERE f.id = ref
    UNION ALL
    SELECT p.id, p.parent_id, p.name, p.namespaces, c.depth + 1 FROM refs p JOIN chain c ON p.id = c.parent_id)
  SELECT format('branch "%s" holds only namespaces %s', c.name,
                (SELECT string_agg(array_to_string(ARRAY(SELECT jsonb_array_elements_text(s.value)), '.'), ', '
                                   ORDER BY s.i)
                 FROM jsonb_array_elements(c.namespaces) WITH ORDINALITY s (value, i)))
  FROM chain c WHERE NOT levels_in_scope(c.namespaces, ns_levels) ORDER BY c.depth LIMIT 1
$$;

-- A namespace as a ref shows it: its properties, or no row.
CREATE OR REPLACE FUNCTION pangolin.ref_namespace(catalog bigint, ref bigint, ns_levels text[])
  RETURNS TABLE (properties jsonb)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH RECURSIVE chain AS (
    SELECT f.id, f.parent_id, f.namespaces, 0 AS depth FROM refs f WHERE f.id = ref
    UNION ALL
    SELECT p.id, p.parent_id, p.namespaces, c.depth + 1 FROM refs p JOIN chain c ON p.id = c.parent_id),
  hit AS (
    SELECT rn.properties FROM ref_namespaces rn JOIN chain c ON c.id = rn.ref_id
    WHERE rn.levels = ns_levels ORDER BY c.depth LIMIT 1)
  SELECT x.properties FROM (
    SELECT h.properties FROM hit h WHERE h.properties IS NOT NULL
    UNION ALL
    SELECT n.properties FROM namespaces n
    WHERE n.catalog_id = catalog AND n.levels = ns_levels AND NOT EXISTS (SELECT 1 FROM hit)) x
  WHERE NOT EXISTS (SELECT 1 FROM chain c WHERE NOT levels_in_scope(c.namespaces, ns_levels))
$$;

CREATE OR REPLACE FUNCTION pangolin.ref_child_namespaces(catalog bigint, ref bigint, parent_levels text[])
  RETURNS SETOF text[]
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH RECURSIVE chain AS (
    SELECT f.id, f.parent_id, f.namespaces, 0 AS depth FROM refs f WHERE f.id = ref
    UNION ALL
    SELECT p.id, p.parent_id, p.namespaces, c.depth + 1 FROM refs p JOIN chain c ON p.id = c.parent_id),
  candidates AS (
    SELECT rn.levels, rn.properties IS NOT NULL AS present, c.depth FROM ref_namespaces rn JOIN chain c ON c.id = rn.ref_id
    WHERE cardinality(rn.levels) = cardinality(parent_levels) + 1
      AND rn.levels[1:cardinality(parent_levels)] = parent_levels
    UNION ALL
    SELECT n.levels, true, 2147483647 FROM namespaces n
    WHERE n.catalog_id = catalog AND n.parent_id IS NULL AND cardinality(parent_levels) = 0
    UNION ALL
    SELECT n.levels, true, 2147483647 FROM namespaces p JOIN namespaces n ON n.parent_id = p.id
    WHERE p.catalog_id = catalog AND p.levels = parent_levels),
  nearest AS (SELECT DISTINCT ON (x.levels) x.levels, x.present FROM candidates x ORDER BY x.levels, x.depth)
  SELECT y.levels FROM nearest y
  WHERE y.present AND NOT EXISTS (SELECT 1 FROM chain c WHERE NOT levels_in_scope(c.namespaces, y.levels))
  ORDER BY y.levels
$$;

-- A pointer as a ref shows it (ref NULL: main); no row when absent there.
CREATE OR REPLACE FUNCTION pangolin.ref_pointer(catalog bigint, ref bigint, ns_levels text[], rel_name text)
  RETURNS TABLE (kind text, metadata_location text)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH RECURSIVE chain AS (
    SELECT f.id, f.parent_id, 0 AS depth FROM refs f WHERE f.id = ref
    UNION ALL
    SELECT p.id, p.parent_id, c.depth + 1 FROM refs p JOIN chain c ON p.id = c.parent_id),
  hit AS (
    SELECT rr.kind, rr.metadata_location FROM ref_relations rr JOIN chain c ON c.id = rr.ref_id
    WHERE rr.levels = ns_levels AND rr.name = rel_name ORDER BY c.depth LIMIT 1)
  SELECT h.kind, h.metadata_location FROM hit h
  WHERE h.metadata_location IS NOT NULL AND EXISTS (SELECT 1 FROM ref_namespace(catalog, ref, ns_levels))
  UNION ALL
  SELECT r.kind, r.metadata_location FROM relations r JOIN namespaces n ON n.id = r.namespace_id
  WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name AND NOT EXISTS (SELECT 1 FROM hit)
    AND (ref IS NULL OR EXISTS (SELECT 1 FROM ref_namespace(catalog, ref, ns_levels)))
$$;

CREATE OR REPLACE FUNCTION pangolin.ref_listing(catalog bigint, ref bigint, ns_levels text[])
  RETURNS TABLE (name text, kind text, metadata_location text)
  LANGUAGE sql STABLE
  SET search_path = pg_catalog, pangolin, pg_temp
  AS $$
  WITH RECURSIVE chain AS (
    SELECT f.id, f.parent_id, 0 AS depth FROM refs f WHERE f.id = ref
    UNION ALL
    SELECT p.id, p.parent_id, c.depth + 1 FROM refs p JOIN chain c ON p.id = c.parent_id),
  candidates AS (
    SELECT rr.name, rr.kind, rr.metadata_location, c.depth FROM ref_relations rr JOIN chain c ON c.id = rr.ref_id
    WHERE rr.levels = ns_levels
    UNION ALL
    SELECT r.name, r.kind, r.metadata_location, 2147483647 FROM relations r JOIN namespaces n ON n.id = r.namespace_id
    WHERE n.catalog_id = catalog AND n.levels = ns_levels),
  nearest AS (SELECT DISTINCT ON (c.name) c.name, c.kind, c.metadata_location FROM candidates c ORDER BY c.name, c.depth)
  SELECT x.name, x.kind, x.metadata_location FROM nearest x WHERE x.metadata_location IS NOT NULL
$$;

-- The ref, when it may be written at these levels: not a tag, and within its chosen namespaces.
CREATE OR REPLACE FUNCTION pangolin_private.writable_ref(ref bigint, ns_levels text[], what text)
  RETURNS pangolin.refs
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  f pangolin.refs;
  outside text;
BEGIN
  PERFORM pangolin_private.require_levels(ns_levels);
  SELECT * INTO f FROM pangolin.refs WHERE id = ref;
  IF NOT FOUND OR NOT pangolin.sees(f.catalog_id, NULL, NULL) THEN
    RAISE EXCEPTION 'Branch id % does not exist (deleted while in use?)', ref USING ERRCODE = 'no_data_found';
  END IF;
  IF f.kind = 'TAG' THEN
    RAISE EXCEPTION 'Cannot change % on tag "%": tags are immutable', pangolin_private.shown(what), f.name
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = format('Create a branch from it (pangolin branch create <name> --from %s) and write there.', f.name);
  END IF;
  outside := pangolin.ref_out_of_scope(ref, ns_levels);
  IF outside IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot change % on branch "%": %', pangolin_private.shown(what), f.name, outside
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = 'Write it on a branch that holds it, or on main.';
  END IF;
  RETURN f;
END $$;

-- Creates (expected NULL), changes or drops (next NULL) a namespace on a ref, as a compare-and-swap against what
-- the ref shows: 1 applied, 0 the ref no longer shows expected. CREATE on the parent, WRITE or DROP, as on main.
CREATE OR REPLACE FUNCTION pangolin_private.ref_namespace_put(ref bigint, ns_levels text[], expected jsonb,
                                                              next jsonb) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  f pangolin.refs;
  privilege text := CASE WHEN next IS NULL THEN 'DROP' WHEN expected IS NULL THEN 'CREATE' ELSE 'WRITE' END;
  governing text[] := CASE WHEN next IS NOT NULL AND expected IS NULL
                           THEN ns_levels[1:cardinality(ns_levels) - 1] ELSE ns_levels END;
  label text := array_to_string(ns_levels, '.');
  own pangolin.ref_namespaces;
  changed integer;
BEGIN
  f := pangolin_private.writable_ref(ref, ns_levels, 'namespace ' || label);
  PERFORM pangolin_private.require_properties(next);
  IF NOT pangolin_private.holds(privilege, f.catalog_id, pangolin_private.namespace_anchor(f.catalog_id, governing), NULL) THEN
    PERFORM pangolin_private.refuse(privilege, format('namespace %s on branch %s', label, f.name));
  END IF;
  IF next IS NULL AND (EXISTS (SELECT 1 FROM pangolin.ref_listing(f.catalog_id, ref, ns_levels))
                       OR EXISTS (SELECT 1 FROM pangolin.ref_child_namespaces(f.catalog_id, ref, ns_levels))) THEN
    RAISE EXCEPTION 'Namespace % is not empty on branch "%": it holds tables, views or namespaces there; drop or'
      ' move them first', pangolin_private.shown(label), f.name USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT * INTO own FROM pangolin.ref_namespaces rn WHERE rn.ref_id = ref AND rn.levels = ns_levels FOR UPDATE;
  IF FOUND THEN
    IF own.properties IS DISTINCT FROM expected THEN
      RETURN 0;
    END IF;
    UPDATE pangolin.ref_namespaces rn SET properties = next, updated_at = now()
    WHERE rn.ref_id = ref AND rn.levels = ns_levels;
  ELSE
    IF (SELECT p.properties FROM pangolin.ref_namespace(f.catalog_id, f.parent_id, ns_levels) p)
       IS DISTINCT FROM expected THEN
      RETURN 0;
    END IF;
    INSERT INTO pangolin.ref_namespaces (ref_id, catalog_id, levels, properties, base)
    VALUES (ref, f.catalog_id, ns_levels, next, expected)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
      RETURN 0;
    END IF;
  END IF;
  PERFORM pangolin_private.audit_ref(f.catalog_id, ref, label || '@' || f.name,
    CASE privilege WHEN 'WRITE' THEN 'UPDATE' ELSE privilege END || '_NAMESPACE', NULL, NULL,
    jsonb_build_object('kind', 'NAMESPACE', 'ref', f.name));
  RETURN 1;
END $$;

-- 1 created, 0 the ref shows it already, -1 its parent is missing on the ref.
CREATE OR REPLACE FUNCTION pangolin.ref_create_namespace(ref bigint, ns_levels text[], props jsonb) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  f refs := writable_ref(ref, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
  parent_levels text[] := ns_levels[1:cardinality(ns_levels) - 1];
BEGIN
  -- The privilege first, so that nothing below tells what a principal without it may not know.
  IF NOT holds('CREATE', f.catalog_id, namespace_anchor(f.catalog_id, parent_levels), NULL) THEN
    PERFORM refuse('CREATE', format('namespace %s on branch %s', array_to_string(ns_levels, '.'), f.name));
  END IF;
  IF cardinality(ns_levels) > 1 AND NOT EXISTS (SELECT 1 FROM ref_namespace(f.catalog_id, ref, parent_levels)) THEN
    RETURN -1;
  END IF;
  IF EXISTS (SELECT 1 FROM ref_namespace(f.catalog_id, ref, ns_levels)) THEN
    RETURN 0;
  END IF;
  RETURN ref_namespace_put(ref, ns_levels, NULL, props);
END $$;

-- Drops (set_props NULL) or sets and removes properties: 1 done, 0 the ref does not show it to the principal.
CREATE OR REPLACE FUNCTION pangolin.ref_alter_namespace(ref bigint, ns_levels text[], set_props jsonb,
                                                        remove_keys text[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  f refs := writable_ref(ref, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
  cur jsonb;
BEGIN
  IF NOT sees_ref_relation(f.catalog_id, ns_levels, NULL) THEN
    RETURN 0;
  END IF;
  cur := (SELECT p.properties FROM ref_namespace(f.catalog_id, ref, ns_levels) p);
  IF cur IS NULL THEN
    RETURN 0;
  END IF;
  IF ref_namespace_put(ref, ns_levels, cur,
                       CASE WHEN set_props IS NULL THEN NULL
                            ELSE (cur - coalesce(remove_keys, '{}')) || set_props END) <> 1 THEN
    RAISE EXCEPTION 'Cannot % namespace %: changed by another writer; retry',
      CASE WHEN set_props IS NULL THEN 'drop' ELSE 'change the properties of' END,
      shown(array_to_string(ns_levels, '.'))
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN 1;
END $$;

-- Creates (expected NULL), commits or drops (next NULL) a table or view on a ref, as a compare-and-swap against
-- what the ref shows: 1 applied, 0 the ref no longer shows expected, -1 the namespace is missing there. A drop is
-- kept in the graveyard with its ref when keep_dropped (a plain drop; not a purge, nor the old name of a move).
CREATE OR REPLACE FUNCTION pangolin_private.ref_put(ref bigint, ns_levels text[], rel_name text, rel_kind text,
                                                    expected text, next text, keep_dropped boolean) RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  f pangolin.refs;
  privilege text := CASE WHEN next IS NULL THEN 'DROP' WHEN expected IS NULL THEN 'CREATE' ELSE 'WRITE' END;
  label text := format('%s %s.%s', lower(rel_kind), array_to_string(ns_levels, '.'), rel_name);
  own pangolin.ref_relations;
  cur record;
  changed integer;
BEGIN
  PERFORM pangolin_private.require_relation(rel_name, rel_kind, next);
  f := pangolin_private.writable_ref(ref, ns_levels, label);
  IF NOT EXISTS (SELECT 1 FROM pangolin.ref_namespace(f.catalog_id, ref, ns_levels)) THEN
    RETURN -1;
  END IF;
  IF NOT pangolin_private.holds(privilege, f.catalog_id, pangolin_private.namespace_anchor(f.catalog_id, ns_levels),
             (SELECT r.id FROM pangolin.relations r JOIN pangolin.namespaces n ON n.id = r.namespace_id
              WHERE n.catalog_id = f.catalog_id AND n.levels = ns_levels AND r.name = rel_name)) THEN
    PERFORM pangolin_private.refuse(privilege, label || ' on branch ' || f.name);
  END IF;
  PERFORM pangolin_private.require_location_in_warehouse(f.catalog_id, next, rel_name);
  SELECT * INTO own FROM pangolin.ref_relations rr WHERE rr.ref_id = ref AND rr.levels = ns_levels AND rr.name = rel_name
  FOR UPDATE;
  IF FOUND THEN
    IF own.metadata_location IS DISTINCT FROM expected OR (expected IS NOT NULL AND own.kind <> rel_kind) THEN
      RETURN 0;
    END IF;
    UPDATE pangolin.ref_relations rr SET metadata_location = next, kind = rel_kind, updated_at = now()
    WHERE rr.ref_id = ref AND rr.levels = ns_levels AND rr.name = rel_name;
  ELSE
    SELECT p.kind, p.metadata_location INTO cur FROM pangolin.ref_pointer(f.catalog_id, f.parent_id, ns_levels, rel_name) p;
    IF cur.metadata_location IS DISTINCT FROM expected OR (expected IS NOT NULL AND cur.kind <> rel_kind) THEN
      RETURN 0;
    END IF;
    INSERT INTO pangolin.ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    VALUES (ref, f.catalog_id, ns_levels, rel_name, rel_kind, next, expected)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
      RETURN 0;
    END IF;
  END IF;
  IF next IS NULL AND expected IS NOT NULL AND keep_dropped THEN
    INSERT INTO pangolin.dropped_relations (catalog_id, namespace_levels, name, kind, metadata_location, retain_until,
                                            ref_id)
    SELECT f.catalog_id, ns_levels, rel_name, rel_kind, expected, now() + c.drop_retention, ref
    FROM pangolin.catalogs c WHERE c.id = f.catalog_id;
  END IF;
  PERFORM pangolin_private.audit_ref(f.catalog_id, ref,
    array_to_string(ns_levels, '.') || '.' || rel_name || '@' || f.name,
    CASE privilege WHEN 'DROP' THEN 'DELETE' WHEN 'CREATE' THEN 'INSERT' ELSE 'COMMIT' END, expected, next,
    jsonb_build_object('kind', rel_kind, 'ref', f.name));
  RETURN 1;
END $$;

CREATE OR REPLACE FUNCTION pangolin.ref_write(ref bigint, ns_levels text[], rel_name text, rel_kind text,
                                             expected text, next text) RETURNS integer
  LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$ SELECT ref_put(ref, ns_levels, rel_name, rel_kind, expected, next, true) $$;

-- A drop on a ref: kept for undrop there unless purged, as a purge deletes its files at once.
CREATE OR REPLACE FUNCTION pangolin.ref_drop(ref bigint, ns_levels text[], rel_name text, rel_kind text,
                                            expected text, purge boolean) RETURNS integer
  LANGUAGE sql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$ SELECT ref_put(ref, ns_levels, rel_name, rel_kind, expected, NULL, NOT coalesce(purge, false)) $$;

-- Moves a relation on a ref: a drop at the old name (DROP there) and a create at the new one (CREATE there), in one
-- transaction, remembering where a renamed row came from so that a merge applies it as a rename.
CREATE OR REPLACE FUNCTION pangolin_private.ref_move(ref bigint, from_levels text[], from_name text, expected text,
                                                     to_levels text[], to_name text, next text, rel_kind text)
  RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  origin_levels text[] := from_levels;
  origin_name text := from_name;
BEGIN
  SELECT rr.renamed_from_levels, rr.renamed_from_name INTO origin_levels, origin_name FROM pangolin.ref_relations rr
  WHERE rr.ref_id = ref AND rr.levels = from_levels AND rr.name = from_name AND rr.renamed_from_name IS NOT NULL;
  IF NOT FOUND THEN
    origin_levels := from_levels;
    origin_name := from_name;
  END IF;
  IF pangolin_private.ref_put(ref, from_levels, from_name, rel_kind, expected, NULL, false) <> 1 THEN
    RETURN 0;
  END IF;
  IF pangolin_private.ref_put(ref, to_levels, to_name, rel_kind, NULL, next, false) <> 1 THEN
    RETURN 0;
  END IF;
  UPDATE pangolin.ref_relations rr SET renamed_from_levels = NULL, renamed_from_name = NULL
  WHERE rr.ref_id = ref AND rr.levels = from_levels AND rr.name = from_name;
  UPDATE pangolin.ref_relations rr
  SET renamed_from_levels = CASE WHEN claimed THEN NULL ELSE origin_levels END,
      renamed_from_name = CASE WHEN claimed THEN NULL ELSE origin_name END
  FROM (SELECT (origin_levels = to_levels AND origin_name = to_name)
               OR EXISTS (SELECT 1 FROM pangolin.ref_relations o
                          WHERE o.ref_id = ref AND o.renamed_from_levels = origin_levels
                            AND o.renamed_from_name = origin_name AND (o.levels, o.name) <> (to_levels, to_name))
          AS claimed) x
  WHERE rr.ref_id = ref AND rr.levels = to_levels AND rr.name = to_name;
  RETURN 1;
END $$;

-- Answers 0 when the ref does not show the relation to the principal.
CREATE OR REPLACE FUNCTION pangolin.ref_rename(ref bigint, from_levels text[], from_name text, to_levels text[],
                                              to_name text, rel_kind text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  f refs := writable_ref(ref, from_levels, format('%s %s.%s', lower(rel_kind), array_to_string(from_levels, '.'),
                                                  from_name));
  cur text;
BEGIN
  PERFORM require_relation(from_name, rel_kind, NULL);
  PERFORM require_relation(to_name, rel_kind, NULL);
  PERFORM require_levels(to_levels);
  IF NOT sees_ref_relation(f.catalog_id, from_levels, from_name) THEN
    RETURN 0;
  END IF;
  SELECT p.metadata_location INTO cur FROM ref_pointer(f.catalog_id, ref, from_levels, from_name) p
  WHERE p.kind = rel_kind;
  IF cur IS NULL THEN
    RETURN 0;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM ref_namespace(f.catalog_id, ref, to_levels)) THEN
    RAISE EXCEPTION 'Namespace % does not exist', shown(array_to_string(to_levels, '.'))
      USING ERRCODE = 'not_null_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM ref_pointer(f.catalog_id, ref, to_levels, to_name)) THEN
    RAISE EXCEPTION '% already exists', shown(array_to_string(to_levels, '.') || '.' || to_name)
      USING ERRCODE = 'unique_violation';
  END IF;
  IF ref_move(ref, from_levels, from_name, cur, to_levels, to_name, cur, rel_kind) <> 1 THEN
    RAISE EXCEPTION 'Cannot rename %: changed by another writer; retry', shown(from_name)
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN 1;
END $$;

-- Puts a dropped relation back on a ref (undrop, R__75).
CREATE OR REPLACE FUNCTION pangolin_private.restore_on_ref(catalog bigint, ref pangolin.refs, ns_levels text[],
                                                           rel_name text, rel_kind text, location text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE pangolin.ref_relations rr SET metadata_location = location, kind = rel_kind, updated_at = now()
  WHERE rr.ref_id = ref.id AND rr.levels = ns_levels AND rr.name = rel_name AND rr.metadata_location IS NULL;
  IF NOT FOUND THEN
    INSERT INTO pangolin.ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    VALUES (ref.id, catalog, ns_levels, rel_name, rel_kind, location, NULL);
  END IF;
  PERFORM pangolin_private.audit_ref(catalog, ref.id, array_to_string(ns_levels, '.') || '.' || rel_name || '@'
    || ref.name, 'INSERT', NULL, location, jsonb_build_object('kind', rel_kind, 'ref', ref.name));
END $$;

-- A branch or tag of main or of another ref, holding every namespace of its source or only those chosen.
CREATE OR REPLACE FUNCTION pangolin.create_ref(catalog bigint, ref_name text, ref_kind text, from_ref text,
                                              chosen jsonb DEFAULT NULL) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  parent refs;
  new_id bigint;
  missing text;
BEGIN
  PERFORM require_text('branch or tag name', ref_name, 63);
  IF from_ref IS NOT NULL THEN
    PERFORM require_text('branch or tag name', from_ref, 63);
  END IF;
  IF chosen IS NOT NULL AND (jsonb_typeof(chosen) <> 'array' OR jsonb_array_length(chosen) > 1000
                             OR octet_length(chosen::text) > 1048576) THEN
    RAISE EXCEPTION 'Invalid namespaces for % "%": at most 1000', lower(ref_kind), shown(ref_name)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF NOT holds('CREATE_BRANCH', catalog, NULL, NULL) THEN
    PERFORM refuse('CREATE_BRANCH', format('catalog id %s (creating %s %s)', catalog, lower(ref_kind), ref_name));
  END IF;
  IF from_ref IS NOT NULL AND from_ref <> 'main' THEN
    SELECT * INTO parent FROM refs f WHERE f.catalog_id = catalog AND f.name = from_ref;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Branch or tag "%" does not exist', from_ref USING ERRCODE = 'no_data_found';
    END IF;
    IF ref_kind = 'TAG' AND parent.kind = 'TAG' THEN
      RAISE EXCEPTION 'Cannot make tag "%" from tag "%": make a tag from a branch', ref_name, from_ref
        USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END IF;
  INSERT INTO refs (catalog_id, name, kind, parent_id, namespaces)
  VALUES (catalog, ref_name, ref_kind, parent.id, parent.namespaces)
  RETURNING id INTO new_id;
  PERFORM audit_ref(catalog, new_id, ref_name, 'CREATE_' || ref_kind, NULL, NULL,
    jsonb_build_object('from', coalesce(from_ref, 'main')));
  IF coalesce(jsonb_array_length(chosen), 0) = 0 THEN
    RETURN new_id;
  END IF;
  SELECT array_to_string(l.levels, '.') INTO missing
  FROM jsonb_array_elements(chosen) s, LATERAL (SELECT ARRAY(SELECT jsonb_array_elements_text(s.value)) AS levels) l
  WHERE NOT EXISTS (SELECT 1 FROM ref_namespace(catalog, parent.id, l.levels))
  LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'Namespace % does not exist on %: cannot make % "%" of it', shown(missing),
      coalesce(from_ref, 'main'), lower(ref_kind), ref_name USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE refs f SET namespaces = chosen WHERE f.id = new_id;
  RETURN new_id;
END $$;

CREATE OR REPLACE FUNCTION pangolin.delete_ref(catalog bigint, ref_name text, ref_kind text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  gone bigint;
BEGIN
  PERFORM require_text('branch or tag name', ref_name, 63);
  IF NOT holds('DELETE_BRANCH', catalog, NULL, NULL) THEN
    PERFORM refuse('DELETE_BRANCH', format('catalog id %s (deleting %s %s)', catalog, lower(ref_kind), ref_name));
  END IF;
  DELETE FROM refs f WHERE f.catalog_id = catalog AND f.name = ref_name AND f.kind = ref_kind RETURNING id INTO gone;
  IF gone IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM audit_ref(catalog, gone, ref_name, 'DELETE_' || ref_kind, NULL, NULL, '{}');
  RETURN 1;
END $$;

-- The refs (and main) whose pointer of this name differs from ref's own (or, dropping, holds one at all): what
-- still needs a dropped table's files. Only for a catalog the principal sees; in a catalog without refs it is main
-- alone, answered without walking any chain.
CREATE OR REPLACE FUNCTION pangolin.ref_holders(catalog bigint, ref bigint, ns_levels text[], rel_name text,
                                               dropping boolean) RETURNS SETOF text
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  mine text;
BEGIN
  PERFORM require_levels(ns_levels);
  PERFORM require_text('table or view name', rel_name, 255);
  IF NOT sees(catalog, NULL, NULL) THEN
    RETURN;
  END IF;
  IF ref IS NULL AND NOT EXISTS (SELECT 1 FROM refs f WHERE f.catalog_id = catalog) THEN
    RETURN;
  END IF;
  IF NOT dropping THEN
    mine := (SELECT p.metadata_location FROM ref_pointer(catalog, ref, ns_levels, rel_name) p);
  END IF;
  RETURN QUERY
    SELECT 'main'::text FROM ref_pointer(catalog, NULL, ns_levels, rel_name) p
    WHERE ref IS NOT NULL AND p.metadata_location IS DISTINCT FROM mine
    UNION ALL
    SELECT f.name::text FROM refs f, ref_pointer(catalog, f.id, ns_levels, rel_name) p
    WHERE f.catalog_id = catalog AND f.id IS DISTINCT FROM ref AND p.metadata_location IS DISTINCT FROM mine;
END $$;

-- Pins: before main (or a ref) changes a pointer or namespace for the first time since a child ref was made, the
-- child keeps what it was made from.
CREATE OR REPLACE FUNCTION pangolin_private.pin_main_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  ns record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM refs) THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' AND (TG_OP = 'DELETE' OR OLD.metadata_location IS DISTINCT FROM NEW.metadata_location
                            OR OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id) THEN
    SELECT n.catalog_id, n.levels INTO ns FROM namespaces n WHERE n.id = OLD.namespace_id;
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    SELECT f.id, ns.catalog_id, ns.levels, OLD.name, OLD.kind, OLD.metadata_location, OLD.metadata_location
    FROM refs f WHERE f.catalog_id = ns.catalog_id AND f.parent_id IS NULL
    ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.name <> NEW.name OR OLD.namespace_id <> NEW.namespace_id)) THEN
    SELECT n.catalog_id, n.levels INTO ns FROM namespaces n WHERE n.id = NEW.namespace_id;
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    SELECT f.id, ns.catalog_id, ns.levels, NEW.name, NEW.kind, NULL, NULL
    FROM refs f WHERE f.catalog_id = ns.catalog_id AND f.parent_id IS NULL
    ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER relations_pin_refs AFTER INSERT OR UPDATE OR DELETE ON pangolin.relations
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.pin_main_change();

CREATE OR REPLACE FUNCTION pangolin_private.pin_ref_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.metadata_location IS NOT DISTINCT FROM NEW.base_location
     OR TG_OP = 'UPDATE' AND OLD.metadata_location IS NOT DISTINCT FROM NEW.metadata_location THEN
    RETURN NULL;
  END IF;
  INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
  SELECT c.id, NEW.catalog_id, NEW.levels, NEW.name, NEW.kind,
         CASE TG_OP WHEN 'INSERT' THEN NEW.base_location ELSE OLD.metadata_location END,
         CASE TG_OP WHEN 'INSERT' THEN NEW.base_location ELSE OLD.metadata_location END
  FROM refs c WHERE c.parent_id = NEW.ref_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER ref_relations_pin_refs AFTER INSERT OR UPDATE OF metadata_location ON pangolin.ref_relations
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.pin_ref_change();

CREATE OR REPLACE FUNCTION pangolin_private.pin_main_namespace_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  was jsonb := CASE TG_OP WHEN 'INSERT' THEN NULL ELSE OLD.properties END;
  row_levels text[] := CASE TG_OP WHEN 'DELETE' THEN OLD.levels ELSE NEW.levels END;
  catalog bigint := CASE TG_OP WHEN 'DELETE' THEN OLD.catalog_id ELSE NEW.catalog_id END;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.properties IS NOT DISTINCT FROM NEW.properties THEN
    RETURN NULL;
  END IF;
  INSERT INTO ref_namespaces (ref_id, catalog_id, levels, properties, base)
  SELECT f.id, catalog, row_levels, was, was FROM refs f WHERE f.catalog_id = catalog AND f.parent_id IS NULL
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER namespaces_pin_refs AFTER INSERT OR UPDATE OF properties OR DELETE ON pangolin.namespaces
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.pin_main_namespace_change();

CREATE OR REPLACE FUNCTION pangolin_private.pin_ref_namespace_change() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  was jsonb := CASE TG_OP WHEN 'INSERT' THEN NEW.base ELSE OLD.properties END;
BEGIN
  IF TG_OP = 'INSERT' AND NEW.properties IS NOT DISTINCT FROM NEW.base
     OR TG_OP = 'UPDATE' AND OLD.properties IS NOT DISTINCT FROM NEW.properties THEN
    RETURN NULL;
  END IF;
  INSERT INTO ref_namespaces (ref_id, catalog_id, levels, properties, base)
  SELECT c.id, NEW.catalog_id, NEW.levels, was, was FROM refs c WHERE c.parent_id = NEW.ref_id
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER ref_namespaces_pin_refs AFTER INSERT OR UPDATE OF properties ON pangolin.ref_namespaces
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.pin_ref_namespace_change();

-- A name created again on a ref after a rename away from it is no longer the rename's target.
CREATE OR REPLACE FUNCTION pangolin_private.forget_rename_on_create() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
BEGIN
  IF OLD.metadata_location IS NULL AND NEW.metadata_location IS NOT NULL
     AND NEW.renamed_from_name IS NOT DISTINCT FROM OLD.renamed_from_name THEN
    NEW.renamed_from_levels := NULL;
    NEW.renamed_from_name := NULL;
  END IF;
  RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER ref_relations_forget_rename BEFORE UPDATE OF metadata_location ON pangolin.ref_relations
  FOR EACH ROW EXECUTE FUNCTION pangolin_private.forget_rename_on_create();

RESET ROLE;

GRANT EXECUTE ON FUNCTION
    pangolin.levels_in_scope(jsonb, text[]), pangolin.ref_out_of_scope(bigint, text[]),
    pangolin.ref_namespace(bigint, bigint, text[]), pangolin.ref_child_namespaces(bigint, bigint, text[]),
    pangolin.ref_pointer(bigint, bigint, text[], text), pangolin.ref_listing(bigint, bigint, text[]),
    pangolin.ref_create_namespace(bigint, text[], jsonb), pangolin.ref_alter_namespace(bigint, text[], jsonb, text[]),
    pangolin.ref_write(bigint, text[], text, text, text, text),
    pangolin.ref_drop(bigint, text[], text, text, text, boolean),
    pangolin.ref_rename(bigint, text[], text, text[], text, text),
    pangolin.create_ref(bigint, text, text, text, jsonb), pangolin.delete_ref(bigint, text, text),
    pangolin.ref_holders(bigint, bigint, text[], text, boolean)
  TO pangolin_principal;
