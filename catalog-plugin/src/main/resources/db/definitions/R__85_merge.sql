-- Merge: applies a branch's changes to its parent in one transaction, or names every conflict and changes nothing.
-- Needs MERGE on the catalog and, for each change applied, the grant that change needs where it lands (CREATE,
-- WRITE or DROP; DROP and CREATE for a rename), as if the merger made it by hand. Only merge_ref is callable.
SET ROLE pangolin_owner;

-- The change on the parent's side: a refusal names the object and what the merger lacks there.
CREATE OR REPLACE FUNCTION pangolin_private.require_main_change(privilege text, catalog bigint, ns_levels text[],
                                                                rel_name text, what text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  ns bigint := pangolin_private.namespace_anchor(catalog, ns_levels);
BEGIN
  IF NOT pangolin_private.holds(privilege, catalog, ns,
                      (SELECT r.id FROM pangolin.relations r WHERE r.namespace_id = ns AND r.name = rel_name)) THEN
    PERFORM pangolin_private.refuse(privilege, what);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.merge_plan(catalog bigint, src_name text)
  RETURNS SETOF pangolin.merge_change
  LANGUAGE plpgsql
  AS $$
DECLARE
  src pangolin.refs;
BEGIN
  SELECT * INTO src FROM pangolin.refs f WHERE f.catalog_id = catalog AND f.name = src_name FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Branch "%" does not exist', pangolin_private.shown(src_name) USING ERRCODE = 'no_data_found';
  END IF;
  IF src.kind = 'TAG' THEN
    RAISE EXCEPTION 'Cannot merge tag "%": only branches are merged', src_name USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF src.parent_id IS NULL THEN
    PERFORM 1 FROM pangolin.catalogs c WHERE c.id = catalog FOR NO KEY UPDATE;
  ELSIF (SELECT f.kind FROM pangolin.refs f WHERE f.id = src.parent_id FOR UPDATE) = 'TAG' THEN
    RAISE EXCEPTION 'Cannot merge branch "%" into tag "%": tags are immutable', src_name,
      (SELECT f.name FROM pangolin.refs f WHERE f.id = src.parent_id) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    WITH changed AS (
      SELECT rr.* FROM pangolin.ref_relations rr
      WHERE rr.ref_id = src.id AND rr.metadata_location IS DISTINCT FROM rr.base_location),
    moves AS (
      SELECT t.levels, t.name, s.levels AS from_levels, s.name AS from_name, s.base_location AS from_base
      FROM changed t JOIN changed s ON s.levels = t.renamed_from_levels AND s.name = t.renamed_from_name
      WHERE t.metadata_location IS NOT NULL AND s.base_location IS NOT NULL AND s.kind = t.kind)
    SELECT c.ref_id, src.parent_id, c.levels, c.name, c.kind, c.metadata_location, c.base_location,
           (SELECT p.metadata_location FROM pangolin.ref_pointer(catalog, src.parent_id, c.levels, c.name) p)
             IS DISTINCT FROM c.base_location,
           m.from_levels, m.from_name, m.from_base,
           EXISTS (SELECT 1 FROM moves o WHERE o.from_levels = c.levels AND o.from_name = c.name)
    FROM changed c LEFT JOIN moves m ON m.levels = c.levels AND m.name = c.name
    ORDER BY c.levels, c.name;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.merge_namespace_conflicts(catalog bigint, src_name text)
  RETURNS SETOF text
  LANGUAGE sql STABLE
  AS $$
  WITH src AS (SELECT f.id, f.parent_id FROM pangolin.refs f WHERE f.catalog_id = catalog AND f.name = src_name),
  changed AS (
    SELECT rn.levels, rn.properties, rn.base FROM pangolin.ref_namespaces rn, src
    WHERE rn.ref_id = src.id AND rn.properties IS DISTINCT FROM rn.base),
  dropped AS (SELECT c.levels FROM changed c WHERE c.properties IS NULL),
  refused AS (
    SELECT c.levels FROM changed c, src
    WHERE (SELECT p.properties FROM pangolin.ref_namespace(catalog, src.parent_id, c.levels) p) IS DISTINCT FROM c.base
    UNION
    SELECT d.levels FROM dropped d, src, pangolin.ref_listing(catalog, src.parent_id, d.levels) l
    WHERE NOT EXISTS (SELECT 1 FROM pangolin.ref_relations rr
                      WHERE rr.ref_id = src.id AND rr.levels = d.levels AND rr.name = l.name
                        AND rr.metadata_location IS NULL AND rr.base_location = l.metadata_location)
    UNION
    SELECT d.levels FROM dropped d, src, pangolin.ref_child_namespaces(catalog, src.parent_id, d.levels) k
    WHERE k NOT IN (SELECT x.levels FROM dropped x)
    UNION
    SELECT rr.levels FROM pangolin.ref_relations rr, src
    WHERE rr.ref_id = src.id AND rr.metadata_location IS NOT NULL
      AND rr.metadata_location IS DISTINCT FROM rr.base_location
      AND NOT EXISTS (SELECT 1 FROM pangolin.ref_namespace(catalog, src.parent_id, rr.levels))
      AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.levels = rr.levels AND c.properties IS NOT NULL))
  SELECT 'namespace ' || array_to_string(r.levels, '.') FROM refused r ORDER BY r.levels
$$;

CREATE OR REPLACE FUNCTION pangolin_private.finish_namespace_merge(catalog bigint, src_name text) RETURNS void
  LANGUAGE sql
  AS $$
  UPDATE pangolin.ref_namespaces rn SET base = rn.properties
  FROM pangolin.refs f
  WHERE f.catalog_id = catalog AND f.name = src_name AND rn.ref_id = f.id AND rn.properties IS DISTINCT FROM rn.base
    AND (SELECT p.properties FROM pangolin.ref_namespace(catalog, f.parent_id, rn.levels) p)
        IS NOT DISTINCT FROM rn.properties
$$;

-- Namespace changes: creations (shallowest first) before the tables, drops (deepest first) after them.
CREATE OR REPLACE FUNCTION pangolin_private.merge_namespaces(catalog bigint, src_name text, drops boolean)
  RETURNS integer
  LANGUAGE plpgsql
  AS $$
DECLARE
  src pangolin.refs;
  c pangolin.ref_namespaces;
  privilege text;
  applied integer;
  total integer := 0;
BEGIN
  SELECT * INTO src FROM pangolin.refs f WHERE f.catalog_id = catalog AND f.name = src_name;
  FOR c IN
    SELECT * FROM pangolin.ref_namespaces rn
    WHERE rn.ref_id = src.id AND rn.properties IS DISTINCT FROM rn.base AND (rn.properties IS NULL) = drops
    ORDER BY CASE WHEN drops THEN -cardinality(rn.levels) ELSE cardinality(rn.levels) END, rn.levels
  LOOP
    IF src.parent_id IS NOT NULL THEN
      applied := pangolin_private.ref_namespace_put(src.parent_id, c.levels, c.base, c.properties);
    ELSE
      privilege := CASE WHEN c.properties IS NULL THEN 'DROP' WHEN c.base IS NULL THEN 'CREATE' ELSE 'WRITE' END;
      IF NOT pangolin_private.holds(privilege, catalog,
               pangolin_private.namespace_anchor(catalog, CASE privilege WHEN 'CREATE'
                                                          THEN c.levels[1:cardinality(c.levels) - 1]
                                                          ELSE c.levels END), NULL) THEN
        PERFORM pangolin_private.refuse(privilege, format('namespace %s (merging branch %s)',
                                                          array_to_string(c.levels, '.'), src_name));
      END IF;
      IF c.base IS NULL THEN
        INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels, properties)
        SELECT catalog, (SELECT p.id FROM pangolin.namespaces p
                         WHERE p.catalog_id = catalog AND p.levels = c.levels[1:cardinality(c.levels) - 1]),
               c.levels, c.properties;
        GET DIAGNOSTICS applied = ROW_COUNT;
      ELSIF c.properties IS NULL THEN
        DELETE FROM pangolin.namespaces n WHERE n.catalog_id = catalog AND n.levels = c.levels AND n.properties = c.base;
        GET DIAGNOSTICS applied = ROW_COUNT;
      ELSE
        UPDATE pangolin.namespaces n SET properties = c.properties
        WHERE n.catalog_id = catalog AND n.levels = c.levels AND n.properties = c.base;
        GET DIAGNOSTICS applied = ROW_COUNT;
      END IF;
    END IF;
    IF applied IS DISTINCT FROM 1 THEN
      RAISE EXCEPTION 'Merge of branch "%" refused: namespace % changed on its parent during the merge', src_name,
        array_to_string(c.levels, '.') USING ERRCODE = 'serialization_failure';
    END IF;
    total := total + 1;
  END LOOP;
  IF drops THEN
    PERFORM pangolin_private.finish_namespace_merge(catalog, src_name);
  END IF;
  RETURN total;
END $$;

CREATE OR REPLACE FUNCTION pangolin_private.require_merge_applied(applied integer, src_name text, rel_kind text,
                                                                  levels text[], rel_name text) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  IF applied IS DISTINCT FROM 1 THEN
    RAISE EXCEPTION 'Merge of branch "%" refused: % %.% changed on its parent during the merge', src_name,
      lower(rel_kind), array_to_string(levels, '.'), rel_name USING ERRCODE = 'serialization_failure';
  END IF;
END $$;

-- One table or view change onto the parent, as a compare-and-swap against base.
CREATE OR REPLACE FUNCTION pangolin_private.merge_change_into_parent(catalog bigint, src_name text,
                                                                     c pangolin.merge_change, base text) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  applied integer;
  what text := format('%s %s.%s (merging branch %s)', lower(c.kind), array_to_string(c.levels, '.'), c.name,
                      src_name);
BEGIN
  IF c.parent_id IS NOT NULL THEN
    applied := pangolin_private.ref_put(c.parent_id, c.levels, c.name, c.kind, base, c.metadata_location, true);
  ELSIF base IS NULL THEN
    PERFORM pangolin_private.require_main_change('CREATE', catalog, c.levels, NULL, what);
    PERFORM pangolin_private.require_location_in_warehouse(catalog, c.metadata_location, c.name);
    INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location)
    SELECT n.id, c.name, c.kind, c.metadata_location FROM pangolin.namespaces n
    WHERE n.catalog_id = catalog AND n.levels = c.levels;
    GET DIAGNOSTICS applied = ROW_COUNT;
  ELSIF c.metadata_location IS NULL THEN
    PERFORM pangolin_private.require_main_change('DROP', catalog, c.levels, c.name, what);
    DELETE FROM pangolin.relations r USING pangolin.namespaces n
    WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
      AND r.metadata_location = base;
    GET DIAGNOSTICS applied = ROW_COUNT;
  ELSE
    PERFORM pangolin_private.require_main_change('WRITE', catalog, c.levels, c.name, what);
    PERFORM pangolin_private.require_location_in_warehouse(catalog, c.metadata_location, c.name);
    UPDATE pangolin.relations r
    SET metadata_location = c.metadata_location, previous_metadata_location = r.metadata_location, kind = c.kind,
        updated_at = now()
    FROM pangolin.namespaces n
    WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
      AND r.metadata_location = base;
    GET DIAGNOSTICS applied = ROW_COUNT;
  END IF;
  PERFORM pangolin_private.require_merge_applied(applied, src_name, c.kind, c.levels, c.name);
END $$;

-- Renames, in an order that never takes a name still in use; a cycle (swapped names) is refused.
CREATE OR REPLACE FUNCTION pangolin_private.merge_renames(catalog bigint, src_name text,
                                                          plan pangolin.merge_change[]) RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  pending pangolin.merge_change[] := ARRAY(SELECT m FROM unnest(plan) m WHERE m.from_name IS NOT NULL);
  c pangolin.merge_change;
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
      PERFORM pangolin_private.merge_change_into_parent(catalog, src_name,
        ROW(c.ref_id, c.parent_id, c.levels, c.name, c.kind, NULL, c.base_location, false, NULL, NULL, NULL, false)
          ::pangolin.merge_change, c.base_location);
    END IF;
    IF c.parent_id IS NOT NULL THEN
      applied := pangolin_private.ref_move(c.parent_id, c.from_levels, c.from_name, c.from_base, c.levels, c.name,
                                           c.metadata_location, c.kind);
    ELSE
      PERFORM pangolin_private.require_main_change('DROP', catalog, c.from_levels, c.from_name,
        format('%s %s.%s (merging its rename on branch %s)', lower(c.kind), array_to_string(c.from_levels, '.'),
               c.from_name, src_name));
      PERFORM pangolin_private.require_main_change('CREATE', catalog, c.levels, NULL,
        format('namespace %s (merging the rename of %s on branch %s)', array_to_string(c.levels, '.'),
               c.from_name, src_name));
      PERFORM pangolin_private.require_location_in_warehouse(catalog, c.metadata_location, c.name);
      UPDATE pangolin.relations r
      SET namespace_id = (SELECT t.id FROM pangolin.namespaces t WHERE t.catalog_id = catalog AND t.levels = c.levels),
          name = c.name, metadata_location = c.metadata_location,
          previous_metadata_location = CASE WHEN r.metadata_location = c.metadata_location
                                            THEN r.previous_metadata_location ELSE r.metadata_location END,
          updated_at = now()
      FROM pangolin.namespaces n
      WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.from_levels AND r.name = c.from_name
        AND r.kind = c.kind AND r.metadata_location = c.from_base;
      GET DIAGNOSTICS applied = ROW_COUNT;
    END IF;
    PERFORM pangolin_private.require_merge_applied(applied, src_name, c.kind, c.from_levels, c.from_name);
    pending := ARRAY(SELECT m FROM unnest(pending) m WHERE (m.levels, m.name) <> (c.levels, c.name));
  END LOOP;
END $$;

-- Marks what the parent now shows as merged, so that it is not merged twice.
CREATE OR REPLACE FUNCTION pangolin_private.finish_merge(catalog bigint, src bigint, into_name text, changes integer)
  RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE pangolin.ref_relations rr
  SET base_location = rr.metadata_location, renamed_from_levels = NULL, renamed_from_name = NULL
  FROM pangolin.refs f
  WHERE f.id = src AND rr.ref_id = src AND rr.metadata_location IS DISTINCT FROM rr.base_location
    AND (SELECT p.metadata_location FROM pangolin.ref_pointer(catalog, f.parent_id, rr.levels, rr.name) p)
        IS NOT DISTINCT FROM rr.metadata_location;
  UPDATE pangolin.refs f SET last_merged_at = now() WHERE f.id = src;
  PERFORM pangolin_private.audit_ref(catalog, src, (SELECT f.name FROM pangolin.refs f WHERE f.id = src), 'MERGE',
    NULL, NULL, jsonb_build_object('into', into_name, 'changes', changes));
END $$;

-- One row per conflicting table, view or namespace; none when the merge was applied.
CREATE OR REPLACE FUNCTION pangolin.merge_ref(catalog bigint, src_name text) RETURNS TABLE (conflict text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  plan merge_change[];
  c merge_change;
  src refs;
  into_name text;
BEGIN
  PERFORM require_text('branch name', src_name, 63);
  IF NOT holds('MERGE', catalog, NULL, NULL) THEN
    PERFORM refuse('MERGE', format('catalog id %s (merging branch %s)', catalog, src_name));
  END IF;
  plan := ARRAY(SELECT m FROM merge_plan(catalog, src_name) m);
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
  SELECT * INTO src FROM refs f WHERE f.catalog_id = catalog AND f.name = src_name;
  SELECT coalesce((SELECT p.name FROM refs p WHERE p.id = src.parent_id), 'main') INTO into_name;
  PERFORM finish_merge(catalog, src.id, into_name, cardinality(plan));
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.merge_ref(bigint, text) TO pangolin_principal;
