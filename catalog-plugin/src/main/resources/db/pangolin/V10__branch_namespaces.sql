-- Namespaces per branch. Main's namespaces stay the namespaces table exactly as before; every other ref overlays
-- them as V8 overlays relations: a ref shows its own row for a namespace when it has one (NULL properties = absent
-- there), else what its parent shows. Creating a ref stays one row. ref_rename and merge_ref, which must also see a
-- ref's own namespaces, are re-created once, with renames, in V11 (they were written side by side).

-- A branch of chosen namespaces: a JSON array of their levels (NULL: the whole catalog). It shows only those
-- namespaces, their descendants and what is in them, and refuses writes elsewhere; so do refs made from it.
ALTER TABLE refs ADD COLUMN namespaces jsonb CHECK (jsonb_typeof(namespaces) = 'array');

CREATE FUNCTION levels_in_scope(scope jsonb, ns_levels text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pangolin AS $$
  SELECT scope IS NULL OR EXISTS (
    SELECT 1 FROM jsonb_array_elements(scope) s
    WHERE cardinality(ns_levels) >= jsonb_array_length(s.value)
      AND ns_levels[1:jsonb_array_length(s.value)] = ARRAY(SELECT jsonb_array_elements_text(s.value)))
$$;

-- Why ref may not touch ns_levels ('branch "dev" holds only namespaces sales, ops'), or NULL when it may: the
-- nearest ref of its chain whose namespaces leave ns_levels out.
CREATE FUNCTION ref_out_of_scope(ref bigint, ns_levels text[]) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, pangolin AS $$
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

-- base: what the parent showed when the row was first written or last merged (NULL: absent there). A row whose
-- properties equal its base is a pinned copy, not a change.
CREATE TABLE ref_namespaces (
  ref_id     bigint NOT NULL,
  catalog_id bigint NOT NULL,
  levels     text[] NOT NULL CHECK (cardinality(levels) >= 1 AND array_position(levels, NULL) IS NULL
                                    AND array_position(levels, '') IS NULL),
  properties jsonb CHECK (jsonb_typeof(properties) = 'object'),
  base       jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ref_id, levels),
  FOREIGN KEY (ref_id, catalog_id) REFERENCES refs (id, catalog_id) ON DELETE CASCADE
);

-- The properties of a namespace as ref (NULL: main) shows it; no row when it is absent there (or outside the
-- namespaces of a ref in its chain).
CREATE FUNCTION ref_namespace(catalog bigint, ref bigint, ns_levels text[]) RETURNS TABLE (properties jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, pangolin AS $$
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

-- The direct children of parent_levels ('{}': the top level) that ref shows.
CREATE FUNCTION ref_child_namespaces(catalog bigint, ref bigint, parent_levels text[]) RETURNS SETOF text[]
LANGUAGE sql STABLE SET search_path = pg_catalog, pangolin AS $$
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

-- The nearest namespace of main at or above ns_levels (NULL: none, the catalog). A namespace that exists only on a
-- branch is governed by the grants of this one.
CREATE FUNCTION namespace_anchor(catalog bigint, ns_levels text[]) RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT n.id FROM namespaces n
  WHERE n.catalog_id = catalog AND n.levels[1] = ns_levels[1] AND cardinality(n.levels) <= cardinality(ns_levels)
    AND n.levels = ns_levels[1:cardinality(n.levels)]
  ORDER BY cardinality(n.levels) DESC LIMIT 1
$$;

-- Whether the principal sees a relation (rel_name NULL: the namespace itself) on a ref. In a namespace main has,
-- as on main; in one that exists only on a branch, when it holds a privilege covering the nearest namespace of main
-- above it (or, with none, the whole catalog): grants below that namespace do not reach a branch's own namespaces.
CREATE OR REPLACE FUNCTION sees_ref_relation(catalog bigint, ns_levels text[], rel_name text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT CASE WHEN n.levels = ns_levels
           THEN sees(catalog, n.id, (SELECT r.id FROM relations r WHERE r.namespace_id = n.id AND r.name = rel_name))
           ELSE EXISTS (SELECT 1 FROM unnest(ARRAY['READ', 'WRITE', 'CREATE', 'DROP']) p (privilege)
                        WHERE may(p.privilege, catalog, n.id, NULL))
         END
  FROM (SELECT namespace_anchor(catalog, ns_levels) AS id) a LEFT JOIN namespaces n ON n.id = a.id
$$;

-- What ref shows for a name, as in V8, with the namespace's existence (and the ref's namespaces) as ref shows it.
CREATE OR REPLACE FUNCTION ref_pointer(catalog bigint, ref bigint, ns_levels text[], rel_name text)
RETURNS TABLE (kind text, metadata_location text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pangolin AS $$
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

-- The ref a change in ns_levels is written on; refuses a ref deleted while in use, a tag, and a namespace outside
-- the ref's chosen namespaces, naming what was to change.
CREATE FUNCTION writable_ref(ref bigint, ns_levels text[], what text) RETURNS refs
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  f refs;
  outside text;
BEGIN
  SELECT * INTO f FROM refs WHERE id = ref;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Branch id % does not exist (deleted while in use?)', ref USING ERRCODE = 'no_data_found';
  END IF;
  IF f.kind = 'TAG' THEN
    RAISE EXCEPTION 'Cannot change % on tag "%": tags are immutable', what, f.name
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = format('Create a branch from it (pangolin branch create <name> --from %s) and write there.', f.name);
  END IF;
  outside := ref_out_of_scope(ref, ns_levels);
  IF outside IS NOT NULL THEN
    RAISE EXCEPTION 'Cannot change % on branch "%": %', what, f.name, outside
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = 'Write it on a branch that holds it, or on main.';
  END IF;
  RETURN f;
END $$;

-- The compare-and-swap of a namespace on a branch (expected NULL: create; next NULL: drop). 1 applied, 0 when the
-- ref no longer shows expected. The same CREATE (on the parent), DROP and WRITE grants as on main, checked against
-- namespace_anchor; a drop of a namespace the branch still shows anything in is refused as main's foreign keys do.
CREATE FUNCTION ref_namespace_put(ref bigint, ns_levels text[], expected jsonb, next jsonb) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  f refs;
  privilege text := CASE WHEN next IS NULL THEN 'DROP' WHEN expected IS NULL THEN 'CREATE' ELSE 'WRITE' END;
  governing text[] := CASE WHEN next IS NOT NULL AND expected IS NULL
                           THEN ns_levels[1:cardinality(ns_levels) - 1] ELSE ns_levels END;
  label text := array_to_string(ns_levels, '.');
  own ref_namespaces;
  changed integer;
BEGIN
  f := writable_ref(ref, ns_levels, 'namespace ' || label);
  IF NOT ref_may(privilege, f.catalog_id, namespace_anchor(f.catalog_id, governing), NULL) THEN
    PERFORM refuse_on_ref(privilege, f.catalog_id, format('namespace %s on branch %s', label, f.name));
  END IF;
  IF next IS NULL AND (EXISTS (SELECT 1 FROM ref_listing(f.catalog_id, ref, ns_levels))
                       OR EXISTS (SELECT 1 FROM ref_child_namespaces(f.catalog_id, ref, ns_levels))) THEN
    RAISE EXCEPTION 'Namespace % is not empty on branch "%": it holds tables, views or namespaces there; drop or'
      ' move them first', label, f.name USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT * INTO own FROM ref_namespaces rn WHERE rn.ref_id = ref AND rn.levels = ns_levels FOR UPDATE;
  IF FOUND THEN
    IF own.properties IS DISTINCT FROM expected THEN
      RETURN 0;
    END IF;
    UPDATE ref_namespaces rn SET properties = next, updated_at = now()
    WHERE rn.ref_id = ref AND rn.levels = ns_levels;
  ELSE
    IF (SELECT p.properties FROM ref_namespace(f.catalog_id, f.parent_id, ns_levels) p)
       IS DISTINCT FROM expected THEN
      RETURN 0;
    END IF;
    INSERT INTO ref_namespaces (ref_id, catalog_id, levels, properties, base)
    VALUES (ref, f.catalog_id, ns_levels, next, expected)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
      RETURN 0;
    END IF;
  END IF;
  PERFORM audit_ref(f.catalog_id, ref, label || '@' || f.name,
    CASE privilege WHEN 'WRITE' THEN 'UPDATE' ELSE privilege END || '_NAMESPACE', NULL, NULL,
    jsonb_build_object('kind', 'NAMESPACE', 'ref', f.name));
  RETURN 1;
END $$;

-- Creates a namespace on a branch: 1 created, 0 it exists there already, -1 its parent does not exist there.
CREATE FUNCTION ref_create_namespace(ref bigint, ns_levels text[], props jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  catalog bigint := (SELECT f.catalog_id FROM refs f WHERE f.id = ref);
BEGIN
  PERFORM writable_ref(ref, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
  IF cardinality(ns_levels) > 1 AND NOT EXISTS (
      SELECT 1 FROM ref_namespace(catalog, ref, ns_levels[1:cardinality(ns_levels) - 1])) THEN
    RETURN -1;
  END IF;
  IF EXISTS (SELECT 1 FROM ref_namespace(catalog, ref, ns_levels)) THEN
    RETURN 0;
  END IF;
  RETURN ref_namespace_put(ref, ns_levels, NULL, props);
END $$;

-- Changes a namespace the branch shows: drops it when set_props is NULL, else sets set_props and removes
-- remove_keys. 1 done, 0 absent there.
CREATE FUNCTION ref_alter_namespace(ref bigint, ns_levels text[], set_props jsonb, remove_keys text[])
RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  cur jsonb := (SELECT p.properties FROM ref_namespace((SELECT f.catalog_id FROM refs f WHERE f.id = ref), ref,
                                                       ns_levels) p);
BEGIN
  PERFORM writable_ref(ref, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
  IF cur IS NULL THEN
    RETURN 0;
  END IF;
  IF ref_namespace_put(ref, ns_levels, cur, (cur - remove_keys) || set_props) <> 1 THEN
    RAISE EXCEPTION 'Cannot % namespace %: changed by another writer; retry',
      CASE WHEN set_props IS NULL THEN 'drop' ELSE 'change the properties of' END, array_to_string(ns_levels, '.')
      USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN 1;
END $$;

-- The compare-and-swap of a relation on a ref, as in V8, with the namespace's existence as the ref shows it and
-- the grants of namespace_anchor for a namespace that exists only on a branch.
CREATE OR REPLACE FUNCTION ref_write(ref bigint, ns_levels text[], rel_name text, rel_kind text, expected text,
                                     next text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  f refs;
  ns bigint;
  privilege text := CASE WHEN next IS NULL THEN 'DROP' WHEN expected IS NULL THEN 'CREATE' ELSE 'WRITE' END;
  own ref_relations;
  cur record;
  changed integer;
BEGIN
  f := writable_ref(ref, ns_levels, format('%s %s.%s', lower(rel_kind), array_to_string(ns_levels, '.'), rel_name));
  IF NOT EXISTS (SELECT 1 FROM ref_namespace(f.catalog_id, ref, ns_levels)) THEN
    RETURN -1;
  END IF;
  ns := namespace_anchor(f.catalog_id, ns_levels);
  IF NOT ref_may(privilege, f.catalog_id, ns,
             (SELECT r.id FROM relations r JOIN namespaces n ON n.id = r.namespace_id
              WHERE n.catalog_id = f.catalog_id AND n.levels = ns_levels AND r.name = rel_name)) THEN
    PERFORM refuse_on_ref(privilege, f.catalog_id,
      format('%s %s.%s on branch %s', lower(rel_kind), array_to_string(ns_levels, '.'), rel_name, f.name));
  END IF;
  PERFORM require_location_in_warehouse(f.catalog_id, next, rel_name);
  SELECT * INTO own FROM ref_relations rr WHERE rr.ref_id = ref AND rr.levels = ns_levels AND rr.name = rel_name
  FOR UPDATE;
  IF FOUND THEN
    IF own.metadata_location IS DISTINCT FROM expected OR (expected IS NOT NULL AND own.kind <> rel_kind) THEN
      RETURN 0;
    END IF;
    UPDATE ref_relations rr SET metadata_location = next, kind = rel_kind, updated_at = now()
    WHERE rr.ref_id = ref AND rr.levels = ns_levels AND rr.name = rel_name;
  ELSE
    SELECT p.kind, p.metadata_location INTO cur FROM ref_pointer(f.catalog_id, f.parent_id, ns_levels, rel_name) p;
    IF cur.metadata_location IS DISTINCT FROM expected OR (expected IS NOT NULL AND cur.kind <> rel_kind) THEN
      RETURN 0;
    END IF;
    INSERT INTO ref_relations (ref_id, catalog_id, levels, name, kind, metadata_location, base_location)
    VALUES (ref, f.catalog_id, ns_levels, rel_name, rel_kind, next, expected)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS changed = ROW_COUNT;
    IF changed = 0 THEN
      RETURN 0;
    END IF;
  END IF;
  PERFORM audit_ref(f.catalog_id, ref, array_to_string(ns_levels, '.') || '.' || rel_name || '@' || f.name,
    CASE privilege WHEN 'DROP' THEN 'DELETE' WHEN 'CREATE' THEN 'INSERT' ELSE 'COMMIT' END, expected, next,
    jsonb_build_object('kind', rel_kind, 'ref', f.name));
  RETURN 1;
END $$;

-- Makes a branch or tag of chosen namespaces, each of which from_ref must show (NULL or empty: all that from_ref
-- shows, so a ref made from a branch of chosen namespaces carries them): still one refs row.
CREATE FUNCTION create_ref(catalog bigint, ref_name text, ref_kind text, from_ref text, chosen jsonb) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  new_id bigint := create_ref(catalog, ref_name, ref_kind, from_ref);
  missing text;
BEGIN
  IF coalesce(jsonb_array_length(chosen), 0) = 0 THEN
    UPDATE refs f SET namespaces = p.namespaces FROM refs p WHERE f.id = new_id AND p.id = f.parent_id;
    RETURN new_id;
  END IF;
  SELECT array_to_string(l.levels, '.') INTO missing
  FROM jsonb_array_elements(chosen) s, LATERAL (SELECT ARRAY(SELECT jsonb_array_elements_text(s.value)) AS levels) l
  WHERE NOT EXISTS (SELECT 1 FROM ref_namespace(catalog, (SELECT f.parent_id FROM refs f WHERE f.id = new_id),
                                                l.levels))
  LIMIT 1;
  IF missing IS NOT NULL THEN
    RAISE EXCEPTION 'Namespace % does not exist on %: cannot make % "%" of it', missing, coalesce(from_ref, 'main'),
      lower(ref_kind), ref_name USING ERRCODE = 'no_data_found';
  END IF;
  UPDATE refs f SET namespaces = chosen WHERE f.id = new_id;
  RETURN new_id;
END $$;

-- Pinning, as V8 does for relations: a change of a namespace on main copies what main showed before it into every
-- ref made from main that has no row for it yet, in the same transaction.
CREATE FUNCTION pin_main_namespace_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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

CREATE TRIGGER namespaces_pin_refs AFTER INSERT OR UPDATE OF properties OR DELETE ON namespaces
FOR EACH ROW EXECUTE FUNCTION pin_main_namespace_change();

-- A pinned copy (properties = base) changes nothing its children see, which also ends the cascade.
CREATE FUNCTION pin_ref_namespace_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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

CREATE TRIGGER ref_namespaces_pin_refs AFTER INSERT OR UPDATE OF properties ON ref_namespaces
FOR EACH ROW EXECUTE FUNCTION pin_ref_namespace_change();

-- A namespace main drops is pinned into the refs that still show it, with their tables: no longer refused.
DROP TRIGGER namespaces_held_by_refs ON namespaces;
DROP FUNCTION refuse_namespace_held_by_ref();

-- The namespaces a merge of src into its parent cannot publish, named 'namespace <levels>': the parent changed
-- them since the base (properties changed, dropped, created with the same name); a drop while the parent holds
-- tables, views or namespaces in it that the branch never saw; a table change in a namespace the parent dropped.
CREATE FUNCTION merge_namespace_conflicts(catalog bigint, src_name text) RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH src AS (SELECT f.id, f.parent_id FROM refs f
              WHERE f.catalog_id = catalog AND f.name = src_name AND ref_may('MERGE', catalog, NULL, NULL)),
  changed AS (
    SELECT rn.levels, rn.properties, rn.base FROM ref_namespaces rn, src
    WHERE rn.ref_id = src.id AND rn.properties IS DISTINCT FROM rn.base),
  dropped AS (SELECT c.levels FROM changed c WHERE c.properties IS NULL),
  refused AS (
    SELECT c.levels FROM changed c, src
    WHERE (SELECT p.properties FROM ref_namespace(catalog, src.parent_id, c.levels) p) IS DISTINCT FROM c.base
    UNION
    SELECT d.levels FROM dropped d, src, ref_listing(catalog, src.parent_id, d.levels) l
    WHERE NOT EXISTS (SELECT 1 FROM ref_relations rr
                      WHERE rr.ref_id = src.id AND rr.levels = d.levels AND rr.name = l.name
                        AND rr.metadata_location IS NULL AND rr.base_location = l.metadata_location)
    UNION
    SELECT d.levels FROM dropped d, src, ref_child_namespaces(catalog, src.parent_id, d.levels) k
    WHERE k NOT IN (SELECT x.levels FROM dropped x)
    UNION
    SELECT rr.levels FROM ref_relations rr, src
    WHERE rr.ref_id = src.id AND rr.metadata_location IS NOT NULL
      AND rr.metadata_location IS DISTINCT FROM rr.base_location
      AND NOT EXISTS (SELECT 1 FROM ref_namespace(catalog, src.parent_id, rr.levels))
      AND NOT EXISTS (SELECT 1 FROM changed c WHERE c.levels = rr.levels AND c.properties IS NOT NULL))
  SELECT 'namespace ' || array_to_string(r.levels, '.') FROM refused r ORDER BY r.levels
$$;

-- Records, after a merge, that src's namespace changes the parent now shows are merged.
CREATE FUNCTION finish_namespace_merge(catalog bigint, src_name text) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  UPDATE ref_namespaces rn SET base = rn.properties
  FROM refs f
  WHERE f.catalog_id = catalog AND f.name = src_name AND rn.ref_id = f.id AND rn.properties IS DISTINCT FROM rn.base
    AND ref_may('MERGE', catalog, NULL, NULL)
    AND (SELECT p.properties FROM ref_namespace(catalog, f.parent_id, rn.levels) p)
        IS NOT DISTINCT FROM rn.properties
$$;

-- Publishes src's namespace changes into its parent: with drops false the creates (parents first) and property
-- changes, to run before the relation changes; with drops true the drops (children first), to run after them,
-- and then marks everything merged. Each is a compare-and-swap against the base; a namespace the parent changed
-- during the merge aborts it whole. Not SECURITY DEFINER: on main these are the principal's own INSERT, UPDATE
-- and DELETE on namespaces, so main's policies and audit apply.
CREATE FUNCTION merge_namespaces(catalog bigint, src_name text, drops boolean) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  src refs;
  c ref_namespaces;
  applied integer;
  total integer := 0;
BEGIN
  SELECT * INTO src FROM refs f WHERE f.catalog_id = catalog AND f.name = src_name;
  FOR c IN
    SELECT * FROM ref_namespaces rn
    WHERE rn.ref_id = src.id AND rn.properties IS DISTINCT FROM rn.base AND (rn.properties IS NULL) = drops
    ORDER BY CASE WHEN drops THEN -cardinality(rn.levels) ELSE cardinality(rn.levels) END, rn.levels
  LOOP
    IF src.parent_id IS NOT NULL THEN
      applied := ref_namespace_put(src.parent_id, c.levels, c.base, c.properties);
    ELSIF c.base IS NULL THEN
      INSERT INTO namespaces (catalog_id, parent_id, levels, properties)
      SELECT catalog, (SELECT p.id FROM namespaces p
                       WHERE p.catalog_id = catalog AND p.levels = c.levels[1:cardinality(c.levels) - 1]),
             c.levels, c.properties;
      GET DIAGNOSTICS applied = ROW_COUNT;
    ELSIF c.properties IS NULL THEN
      DELETE FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = c.levels AND n.properties = c.base;
      GET DIAGNOSTICS applied = ROW_COUNT;
    ELSE
      UPDATE namespaces n SET properties = c.properties
      WHERE n.catalog_id = catalog AND n.levels = c.levels AND n.properties = c.base;
      GET DIAGNOSTICS applied = ROW_COUNT;
    END IF;
    IF applied IS DISTINCT FROM 1 THEN
      RAISE EXCEPTION 'Merge of branch "%" refused: namespace % changed on its parent during the merge', src_name,
        array_to_string(c.levels, '.') USING ERRCODE = 'serialization_failure';
    END IF;
    total := total + 1;
  END LOOP;
  IF drops THEN
    PERFORM finish_namespace_merge(catalog, src_name);
  END IF;
  RETURN total;
END $$;

ALTER TABLE ref_namespaces ENABLE ROW LEVEL SECURITY;
CREATE POLICY ref_namespaces_read ON ref_namespaces FOR SELECT
  USING (sees_ref_relation(catalog_id, levels, NULL));
ALTER TABLE ref_namespaces OWNER TO pangolin_owner;
REVOKE ALL ON ref_namespaces FROM PUBLIC;
GRANT SELECT ON ref_namespaces TO pangolin_principal, pangolin_platform_admin;

ALTER FUNCTION ref_namespace(bigint, bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION ref_child_namespaces(bigint, bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION namespace_anchor(bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION levels_in_scope(jsonb, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION ref_out_of_scope(bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION create_ref(bigint, text, text, text, jsonb) OWNER TO pangolin_owner;
ALTER FUNCTION writable_ref(bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_namespace_put(bigint, text[], jsonb, jsonb) OWNER TO pangolin_owner;
ALTER FUNCTION ref_create_namespace(bigint, text[], jsonb) OWNER TO pangolin_owner;
ALTER FUNCTION ref_alter_namespace(bigint, text[], jsonb, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION pin_main_namespace_change() OWNER TO pangolin_owner;
ALTER FUNCTION pin_ref_namespace_change() OWNER TO pangolin_owner;
ALTER FUNCTION merge_namespace_conflicts(bigint, text) OWNER TO pangolin_owner;
ALTER FUNCTION finish_namespace_merge(bigint, text) OWNER TO pangolin_owner;
ALTER FUNCTION merge_namespaces(bigint, text, boolean) OWNER TO pangolin_owner;
-- Run only through merge_ref, after merge_plan has checked MERGE and locked the refs.
REVOKE ALL ON FUNCTION merge_namespace_conflicts(bigint, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION finish_namespace_merge(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION merge_namespace_conflicts(bigint, text), finish_namespace_merge(bigint, text)
  TO pangolin_principal;
