-- Catalog branches and tags. The default branch, main, is the relations table exactly as before; every other ref
-- is an overlay on its parent: a ref shows its own row for a name when it has one (NULL metadata = absent there),
-- else what its parent shows. Creating a ref is one row, whatever the size of the catalog. Namespaces stay
-- catalog-wide in this first cut.

CREATE TABLE refs (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  catalog_id     bigint NOT NULL REFERENCES catalogs (id) ON DELETE CASCADE,
  name           object_name NOT NULL CHECK (name <> 'main'),
  kind           text NOT NULL CHECK (kind IN ('BRANCH', 'TAG')),
  -- NULL: made from main. A ref with refs made from it cannot be deleted.
  parent_id      bigint,
  created_at     timestamptz NOT NULL DEFAULT now(),
  created_by     name NOT NULL DEFAULT session_user,
  last_merged_at timestamptz,
  UNIQUE (catalog_id, name),
  UNIQUE (id, catalog_id),
  FOREIGN KEY (parent_id, catalog_id) REFERENCES refs (id, catalog_id) ON DELETE RESTRICT
);
CREATE INDEX refs_by_parent ON refs (catalog_id, parent_id);

-- base_location: what the parent showed when the row was first written or last merged (NULL: absent there).
-- A row whose metadata equals its base is a pinned copy, not a change.
CREATE TABLE ref_relations (
  ref_id            bigint NOT NULL,
  catalog_id        bigint NOT NULL,
  levels            text[] NOT NULL CHECK (cardinality(levels) >= 1),
  name              text NOT NULL CHECK (name <> ''),
  kind              text NOT NULL CHECK (kind IN ('TABLE', 'VIEW')),
  metadata_location text,
  base_location     text,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ref_id, levels, name),
  FOREIGN KEY (ref_id, catalog_id) REFERENCES refs (id, catalog_id) ON DELETE CASCADE
);
CREATE INDEX ref_relations_by_name ON ref_relations (catalog_id, levels, name);

ALTER TABLE grants DROP CONSTRAINT IF EXISTS grants_privilege_check;
ALTER TABLE grants ADD CONSTRAINT grants_privilege_check CHECK (privilege IN ('READ', 'WRITE', 'CREATE', 'DROP', 'MANAGE_GRANTS', 'UNDROP', 'GC', 'CREATE_BRANCH', 'MERGE', 'DELETE_BRANCH'));

-- What ref (NULL: main) shows for a name: its nearest row along ref, parent, ..., else main's relation. No row
-- when the name is absent there or its namespace does not exist.
CREATE FUNCTION ref_pointer(catalog bigint, ref bigint, ns_levels text[], rel_name text)
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
  WHERE h.metadata_location IS NOT NULL
    AND EXISTS (SELECT 1 FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = ns_levels)
  UNION ALL
  SELECT r.kind, r.metadata_location FROM relations r JOIN namespaces n ON n.id = r.namespace_id
  WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name AND NOT EXISTS (SELECT 1 FROM hit)
$$;

-- Every name ref shows in one namespace, with its kind and location.
CREATE FUNCTION ref_listing(catalog bigint, ref bigint, ns_levels text[])
RETURNS TABLE (name text, kind text, metadata_location text)
LANGUAGE sql STABLE SET search_path = pg_catalog, pangolin AS $$
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

CREATE FUNCTION sees_ref_relation(catalog bigint, ns_levels text[], rel_name text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT sees(catalog, n.id, (SELECT r.id FROM relations r WHERE r.namespace_id = n.id AND r.name = rel_name))
  FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = ns_levels
$$;

-- may(), with the superuser (the migrating login) keeping every right, as it does on main by bypassing policies.
CREATE FUNCTION ref_may(privilege text, catalog bigint, namespace bigint, relation bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  SELECT coalesce((SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user), false)
      OR may(privilege, catalog, namespace, relation)
$$;

CREATE FUNCTION refuse_on_ref(privilege text, catalog bigint, what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pangolin AS $$
BEGIN
  RAISE EXCEPTION 'permission denied: principal % lacks % on %', session_user, privilege, what
    USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE FUNCTION audit_ref(catalog bigint, ref_id bigint, object_name text, action text, old_ptr text, new_ptr text,
                          detail jsonb) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  INSERT INTO audit_log (tenant_id, object_kind, object_id, object_name, action, old_pointer, new_pointer, detail)
  SELECT c.tenant_id, 'refs', ref_id, object_name, action, old_ptr, new_ptr, detail FROM catalogs c WHERE c.id = catalog
$$;

-- Pins, in the same transaction as a change on a parent, the value the parent showed before it into every child
-- ref that has no row for the name yet: so no ref ever sees its parent's later changes, and tags never change.
CREATE FUNCTION pin_main_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  ns record;
BEGIN
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

CREATE TRIGGER relations_pin_refs AFTER INSERT OR UPDATE OR DELETE ON relations
FOR EACH ROW EXECUTE FUNCTION pin_main_change();

-- A pinned copy (metadata = base) changes nothing its children see, which also ends the cascade.
CREATE FUNCTION pin_ref_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
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

CREATE TRIGGER ref_relations_pin_refs AFTER INSERT OR UPDATE OF metadata_location ON ref_relations
FOR EACH ROW EXECUTE FUNCTION pin_ref_change();

-- A namespace that still holds a table or view on some ref is not empty; refused as the foreign keys refuse main's.
CREATE FUNCTION refuse_namespace_held_by_ref() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  holder text;
BEGIN
  SELECT f.name || ':' || rr.name INTO holder FROM ref_relations rr JOIN refs f ON f.id = rr.ref_id
  WHERE rr.catalog_id = OLD.catalog_id AND rr.levels = OLD.levels AND rr.metadata_location IS NOT NULL LIMIT 1;
  IF holder IS NOT NULL THEN
    RAISE EXCEPTION 'namespace % still holds % on a branch or tag', array_to_string(OLD.levels, '.'), holder
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER namespaces_held_by_refs BEFORE DELETE ON namespaces
FOR EACH ROW EXECUTE FUNCTION refuse_namespace_held_by_ref();

-- Whether a pointer a principal writes lies inside its catalog's warehouse (see check_pointer_location in V4).
CREATE FUNCTION require_location_in_warehouse(catalog bigint, location text, rel_name text) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  w record;
BEGIN
  IF location IS NULL OR (SELECT r.rolsuper OR r.rolbypassrls FROM pg_roles r WHERE r.rolname = session_user) THEN
    RETURN;
  END IF;
  SELECT wh.name, wh.storage_root, wh.allowed_locations INTO w
  FROM catalogs c JOIN warehouses wh ON wh.id = c.warehouse_id WHERE c.id = catalog;
  IF location ~* '(^|/)\.\.?(/|$)|%2e|%2f|%5c|\\'
     OR NOT EXISTS (SELECT 1 FROM unnest(w.storage_root || w.allowed_locations) p
                    WHERE starts_with(location, rtrim(p, '/') || '/')) THEN
    RAISE EXCEPTION 'Metadata location "%" of % is outside warehouse "%"', location, rel_name, w.name
      USING ERRCODE = 'check_violation';
  END IF;
END $$;

-- The compare-and-swap of a commit, create or drop on a ref (next NULL: drop; expected NULL: create). Returns
-- 1 when applied, 0 when the ref no longer shows expected (a lost race, or the name taken), -1 when the
-- namespace does not exist. The same READ/WRITE/CREATE/DROP grants as on main apply.
CREATE FUNCTION ref_write(ref bigint, ns_levels text[], rel_name text, rel_kind text, expected text, next text)
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
  SELECT * INTO f FROM refs WHERE id = ref;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Branch id % does not exist (deleted while in use?)', ref USING ERRCODE = 'no_data_found';
  END IF;
  IF f.kind = 'TAG' THEN
    RAISE EXCEPTION 'Cannot change % %.% on tag "%": tags are immutable', lower(rel_kind),
      array_to_string(ns_levels, '.'), rel_name, f.name
      USING ERRCODE = 'read_only_sql_transaction',
            HINT = format('Create a branch from it (pangolin branch create <name> --from %s) and write there.', f.name);
  END IF;
  SELECT n.id INTO ns FROM namespaces n WHERE n.catalog_id = f.catalog_id AND n.levels = ns_levels;
  IF ns IS NULL THEN
    RETURN -1;
  END IF;
  IF NOT ref_may(privilege, f.catalog_id, ns,
             (SELECT r.id FROM relations r WHERE r.namespace_id = ns AND r.name = rel_name)) THEN
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

-- Moves a relation on a ref: a drop at the old name and a create at the new one, in one transaction. Returns 0
-- when the ref shows no such relation; refuses a taken name and a missing namespace as main's rename does.
CREATE FUNCTION ref_rename(ref bigint, from_levels text[], from_name text, to_levels text[], to_name text,
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
  IF NOT EXISTS (SELECT 1 FROM namespaces n WHERE n.catalog_id = catalog AND n.levels = to_levels) THEN
    RAISE EXCEPTION 'Namespace % does not exist', array_to_string(to_levels, '.') USING ERRCODE = 'not_null_violation';
  END IF;
  IF EXISTS (SELECT 1 FROM ref_pointer(catalog, ref, to_levels, to_name)) THEN
    RAISE EXCEPTION '% already exists', array_to_string(to_levels, '.') || '.' || to_name
      USING ERRCODE = 'unique_violation';
  END IF;
  IF ref_write(ref, from_levels, from_name, rel_kind, cur, NULL) <> 1
     OR ref_write(ref, to_levels, to_name, rel_kind, NULL, cur) <> 1 THEN
    RAISE EXCEPTION 'Cannot rename %: changed by another writer; retry', from_name USING ERRCODE = 'serialization_failure';
  END IF;
  RETURN 1;
END $$;

-- Makes a branch or tag: one row. from_ref NULL or 'main' is main; a tag is made from a branch.
CREATE FUNCTION create_ref(catalog bigint, ref_name text, ref_kind text, from_ref text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  parent refs;
  new_id bigint;
BEGIN
  IF NOT ref_may('CREATE_BRANCH', catalog, NULL, NULL) THEN
    PERFORM refuse_on_ref('CREATE_BRANCH', catalog, format('catalog id %s (creating %s %s)', catalog,
      lower(ref_kind), ref_name));
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
  INSERT INTO refs (catalog_id, name, kind, parent_id) VALUES (catalog, ref_name, ref_kind, parent.id)
  RETURNING id INTO new_id;
  PERFORM audit_ref(catalog, new_id, ref_name, 'CREATE_' || ref_kind, NULL, NULL,
    jsonb_build_object('from', coalesce(from_ref, 'main')));
  RETURN new_id;
END $$;

CREATE FUNCTION delete_ref(catalog bigint, ref_name text, ref_kind text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
DECLARE
  gone bigint;
BEGIN
  IF NOT ref_may('DELETE_BRANCH', catalog, NULL, NULL) THEN
    PERFORM refuse_on_ref('DELETE_BRANCH', catalog, format('catalog id %s (deleting %s %s)', catalog,
      lower(ref_kind), ref_name));
  END IF;
  DELETE FROM refs f WHERE f.catalog_id = catalog AND f.name = ref_name AND f.kind = ref_kind RETURNING id INTO gone;
  IF gone IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM audit_ref(catalog, gone, ref_name, 'DELETE_' || ref_kind, NULL, NULL, '{}');
  RETURN 1;
END $$;

-- What merging src would publish: every row of src that differs from its base, and whether its parent changed
-- it too since (a conflict). Locks both refs (main: the catalog row) so merges into one ref run one at a time.
CREATE TYPE merge_change AS (ref_id bigint, parent_id bigint, levels text[], name text, kind text,
                             metadata_location text, base_location text, conflict boolean);

CREATE FUNCTION merge_plan(catalog bigint, src_name text) RETURNS SETOF merge_change
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
    SELECT rr.ref_id, src.parent_id, rr.levels, rr.name, rr.kind, rr.metadata_location, rr.base_location,
           (SELECT p.metadata_location FROM ref_pointer(catalog, src.parent_id, rr.levels, rr.name) p)
             IS DISTINCT FROM rr.base_location
    FROM ref_relations rr
    WHERE rr.ref_id = src.id AND rr.metadata_location IS DISTINCT FROM rr.base_location
    ORDER BY rr.levels, rr.name;
END $$;

CREATE FUNCTION finish_merge(catalog bigint, src bigint, into_name text, changes integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
BEGIN
  IF NOT ref_may('MERGE', catalog, NULL, NULL) THEN
    PERFORM refuse_on_ref('MERGE', catalog, format('catalog id %s (merging into %s)', catalog, into_name));
  END IF;
  -- Only changes the parent now shows: called on its own, this cannot make a branch forget unmerged changes.
  UPDATE ref_relations rr SET base_location = rr.metadata_location
  FROM refs f
  WHERE f.id = src AND rr.ref_id = src AND rr.metadata_location IS DISTINCT FROM rr.base_location
    AND (SELECT p.metadata_location FROM ref_pointer(catalog, f.parent_id, rr.levels, rr.name) p)
        IS NOT DISTINCT FROM rr.metadata_location;
  UPDATE refs f SET last_merged_at = now() WHERE f.id = src;
  PERFORM audit_ref(catalog, src, (SELECT f.name FROM refs f WHERE f.id = src), 'MERGE', NULL, NULL,
    jsonb_build_object('into', into_name, 'changes', changes));
END $$;

-- Merges branch src into its parent in one transaction: refuses, naming every conflict, or applies every change.
-- Not SECURITY DEFINER: changes to main are the principal's own INSERT, UPDATE and DELETE on relations, so
-- main's policies, pointer check and audit apply. Each is a compare-and-swap against the base; a writer that
-- moved a pointer after the plan was made aborts the whole merge.
CREATE FUNCTION merge_ref(catalog bigint, src_name text) RETURNS TABLE (conflict text)
LANGUAGE plpgsql SET search_path = pg_catalog, pangolin AS $$
DECLARE
  plan merge_change[] := ARRAY(SELECT m FROM merge_plan(catalog, src_name) m);
  c merge_change;
  into_name text := 'main';
  applied integer;
BEGIN
  RETURN QUERY SELECT array_to_string(m.levels, '.') || '.' || m.name FROM unnest(plan) m WHERE m.conflict;
  IF FOUND THEN
    RETURN;
  END IF;
  FOREACH c IN ARRAY plan LOOP
    IF c.parent_id IS NOT NULL THEN
      applied := ref_write(c.parent_id, c.levels, c.name, c.kind, c.base_location, c.metadata_location);
    ELSIF c.base_location IS NULL THEN
      INSERT INTO relations (namespace_id, name, kind, metadata_location)
      SELECT n.id, c.name, c.kind, c.metadata_location FROM namespaces n
      WHERE n.catalog_id = catalog AND n.levels = c.levels;
      GET DIAGNOSTICS applied = ROW_COUNT;
    ELSIF c.metadata_location IS NULL THEN
      DELETE FROM relations r USING namespaces n
      WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
        AND r.metadata_location = c.base_location;
      GET DIAGNOSTICS applied = ROW_COUNT;
    ELSE
      UPDATE relations r
      SET metadata_location = c.metadata_location, previous_metadata_location = r.metadata_location, kind = c.kind,
          updated_at = now()
      FROM namespaces n
      WHERE n.id = r.namespace_id AND n.catalog_id = catalog AND n.levels = c.levels AND r.name = c.name
        AND r.metadata_location = c.base_location;
      GET DIAGNOSTICS applied = ROW_COUNT;
    END IF;
    IF applied IS DISTINCT FROM 1 THEN
      RAISE EXCEPTION 'Merge of branch "%" refused: % %.% changed on its parent during the merge', src_name,
        lower(c.kind), array_to_string(c.levels, '.'), c.name USING ERRCODE = 'serialization_failure';
    END IF;
  END LOOP;
  SELECT coalesce(p.name, 'main') INTO into_name
  FROM refs f LEFT JOIN refs p ON p.id = f.parent_id WHERE f.catalog_id = catalog AND f.name = src_name;
  PERFORM finish_merge(catalog, (SELECT f.id FROM refs f WHERE f.catalog_id = catalog AND f.name = src_name),
    into_name, cardinality(plan));
END $$;

-- The refs of a catalog other than ref (NULL: main), 'main' included, that show the name with metadata other
-- than ref shows (dropping: that show it at all): files that ref no longer needs may still be theirs.
CREATE FUNCTION ref_holders(catalog bigint, ref bigint, ns_levels text[], rel_name text, dropping boolean)
RETURNS SETOF text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH mine AS (SELECT CASE WHEN NOT dropping
                  THEN (SELECT p.metadata_location FROM ref_pointer(catalog, ref, ns_levels, rel_name) p) END AS loc)
  SELECT 'main' FROM mine, ref_pointer(catalog, NULL, ns_levels, rel_name) p
  WHERE ref IS NOT NULL AND p.metadata_location IS DISTINCT FROM mine.loc
  UNION ALL
  SELECT f.name FROM mine, refs f, ref_pointer(catalog, f.id, ns_levels, rel_name) p
  WHERE f.catalog_id = catalog AND f.id IS DISTINCT FROM ref AND p.metadata_location IS DISTINCT FROM mine.loc
$$;

-- Whether any table or view on main or on a ref still points under location (a table location): garbage
-- collection keeps such files.
CREATE OR REPLACE FUNCTION location_in_use(location text, except_dropped bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pangolin AS $$
  WITH prefix AS (SELECT rtrim(location, '/') || '/' AS p)
  SELECT EXISTS (SELECT 1 FROM relations r, prefix WHERE starts_with(r.metadata_location, prefix.p))
      OR EXISTS (SELECT 1 FROM dropped_relations d, prefix
                 WHERE d.id <> except_dropped AND starts_with(d.metadata_location, prefix.p))
      OR EXISTS (SELECT 1 FROM ref_relations rr, prefix
                 WHERE starts_with(rr.metadata_location, prefix.p) OR starts_with(rr.base_location, prefix.p))
$$;

ALTER TABLE refs ENABLE ROW LEVEL SECURITY;
ALTER TABLE ref_relations ENABLE ROW LEVEL SECURITY;
CREATE POLICY refs_read ON refs FOR SELECT USING (sees(catalog_id, NULL, NULL));
CREATE POLICY ref_relations_read ON ref_relations FOR SELECT USING (sees_ref_relation(catalog_id, levels, name));

ALTER TABLE refs OWNER TO pangolin_owner;
ALTER TABLE ref_relations OWNER TO pangolin_owner;
REVOKE ALL ON refs, ref_relations FROM PUBLIC;
GRANT SELECT ON refs, ref_relations TO pangolin_principal, pangolin_platform_admin;

ALTER FUNCTION ref_pointer(bigint, bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_listing(bigint, bigint, text[]) OWNER TO pangolin_owner;
ALTER FUNCTION sees_ref_relation(bigint, text[], text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_may(text, bigint, bigint, bigint) OWNER TO pangolin_owner;
ALTER FUNCTION refuse_on_ref(text, bigint, text) OWNER TO pangolin_owner;
ALTER FUNCTION audit_ref(bigint, bigint, text, text, text, text, jsonb) OWNER TO pangolin_owner;
ALTER FUNCTION pin_main_change() OWNER TO pangolin_owner;
ALTER FUNCTION pin_ref_change() OWNER TO pangolin_owner;
ALTER FUNCTION refuse_namespace_held_by_ref() OWNER TO pangolin_owner;
ALTER FUNCTION require_location_in_warehouse(bigint, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_write(bigint, text[], text, text, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_rename(bigint, text[], text, text[], text, text) OWNER TO pangolin_owner;
ALTER TYPE merge_change OWNER TO pangolin_owner;
ALTER FUNCTION create_ref(bigint, text, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION delete_ref(bigint, text, text) OWNER TO pangolin_owner;
ALTER FUNCTION merge_plan(bigint, text) OWNER TO pangolin_owner;
ALTER FUNCTION finish_merge(bigint, bigint, text, integer) OWNER TO pangolin_owner;
ALTER FUNCTION merge_ref(bigint, text) OWNER TO pangolin_owner;
ALTER FUNCTION ref_holders(bigint, bigint, text[], text, boolean) OWNER TO pangolin_owner;
ALTER FUNCTION location_in_use(text, bigint) OWNER TO pangolin_owner;
REVOKE ALL ON FUNCTION audit_ref(bigint, bigint, text, text, text, text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION finish_merge(bigint, bigint, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finish_merge(bigint, bigint, text, integer) TO pangolin_principal;
