-- Tables and views on main: load, commit (compare-and-swap), create, rename or move, drop. A pointer the acting
-- principal does not see answers 0 (or no row); a change it may not make is refused (42501); a pointer must lie in
-- its catalog's warehouse (23514).
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.require_relation(rel_name text, rel_kind text, location text)
  RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  PERFORM pangolin_private.require_text('table or view name', rel_name, 255);
  IF rel_kind IS NULL OR rel_kind NOT IN ('TABLE', 'VIEW') THEN
    RAISE EXCEPTION 'Invalid kind %: TABLE or VIEW', pangolin_private.shown(rel_kind)
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF location IS NOT NULL THEN
    PERFORM pangolin_private.require_text('metadata location', location, 4096);
  END IF;
END $$;

-- Pointers lie under the warehouse's root or one of its allowed locations, with no "." or ".." segment and no
-- percent-encoded dot, slash or backslash that storage would decode into one. Superusers are not checked.
CREATE OR REPLACE FUNCTION pangolin_private.require_location_in_warehouse(catalog bigint, location text,
                                                                          rel_name text) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $_$
DECLARE
  w record;
BEGIN
  IF location IS NULL OR pangolin_private.is_superuser() THEN
    RETURN;
  END IF;
  SELECT wh.name, wh.storage_root, wh.allowed_locations INTO w
  FROM pangolin.catalogs c JOIN pangolin.warehouses wh ON wh.id = c.warehouse_id WHERE c.id = catalog;
  IF location ~* '(^|/)\.\.?(/|$)|%2e|%2f|%5c|\\'
     OR NOT EXISTS (SELECT 1 FROM unnest(w.storage_root || w.allowed_locations) p
                    WHERE starts_with(location, rtrim(p, '/') || '/')) THEN
    RAISE EXCEPTION 'Metadata location "%" of % is outside warehouse "%"', pangolin_private.shown(location),
      pangolin_private.shown(rel_name), w.name
      USING ERRCODE = 'check_violation',
            HINT = format('Use a location under %s or one of the warehouse''s allowed locations, without "." or ".."'
                          ' segments or percent-encoded dots.', w.storage_root);
  END IF;
END $_$;

-- The pointer when the acting principal sees it, else no row; checked by index for this one object, so a load
-- costs a principal what it costs a superuser.
CREATE OR REPLACE FUNCTION pangolin.load_pointer(warehouse bigint, catalog bigint, ns_levels text[], rel_name text)
  RETURNS TABLE (kind text, metadata_location text, warehouse_version bigint)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  RETURN QUERY
    SELECT r.kind, r.metadata_location,
           (SELECT w.config_version FROM catalogs c JOIN warehouses w ON w.id = c.warehouse_id
            WHERE c.id = catalog AND w.id = warehouse)
    FROM namespaces n JOIN relations r ON r.namespace_id = n.id
    WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name
      AND EXISTS (SELECT 1 FROM privileges_held(catalog, n.id, r.id));
END $$;

-- The commit: moves the pointer only if it still holds the location the writer started from. Answers 1, or 0 for
-- a lost race or a pointer the principal does not see; refuses one it sees but may not write.
CREATE OR REPLACE FUNCTION pangolin.swap_pointer(next text, catalog bigint, ns_levels text[], rel_name text,
                                                 rel_kind text, expected text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  target record;
  moved integer;
BEGIN
  PERFORM require_relation(rel_name, rel_kind, next);
  SELECT n.id AS namespace_id, r.id, ARRAY(SELECT p FROM privileges_held(catalog, n.id, r.id) p) AS held
  INTO target
  FROM namespaces n JOIN relations r ON r.namespace_id = n.id
  WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name AND r.kind = rel_kind;
  IF NOT FOUND OR cardinality(target.held) = 0 THEN
    RETURN 0;
  END IF;
  IF NOT target.held && ARRAY['WRITE', 'ADMIN', 'SUPERUSER'] THEN
    PERFORM refuse('WRITE', format('%s %s.%s', lower(rel_kind), array_to_string(ns_levels, '.'), rel_name));
  END IF;
  IF NOT 'SUPERUSER' = ANY (target.held) THEN
    PERFORM require_location_in_warehouse(catalog, next, rel_name);
  END IF;
  UPDATE relations r
  SET metadata_location = next, previous_metadata_location = r.metadata_location, updated_at = now()
  WHERE r.id = target.id AND r.metadata_location = expected;
  GET DIAGNOSTICS moved = ROW_COUNT;
  RETURN moved;
END $$;

-- Answers 0 when the namespace does not exist or the acting principal does not see it.
CREATE OR REPLACE FUNCTION pangolin.create_relation(catalog bigint, ns_levels text[], rel_name text, rel_kind text,
                                                    location text, previous text DEFAULT NULL) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  ns bigint := namespace_for('CREATE', catalog, ns_levels,
                             format('namespace %s (creating %s %s)', array_to_string(ns_levels, '.'), lower(rel_kind),
                                    rel_name));
BEGIN
  PERFORM require_relation(rel_name, rel_kind, location);
  PERFORM require_text('metadata location', location, 4096);
  IF previous IS NOT NULL THEN
    PERFORM require_text('previous metadata location', previous, 4096);
  END IF;
  IF ns IS NULL THEN
    RETURN 0;
  END IF;
  PERFORM require_location_in_warehouse(catalog, location, rel_name);
  PERFORM require_location_in_warehouse(catalog, previous, rel_name);
  INSERT INTO relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
  VALUES (ns, rel_name, rel_kind, location, previous);
  RETURN 1;
END $$;

-- The relation by name for a change that needs privilege on it: its row when the acting principal may, no row
-- when it does not exist or the principal does not see it, a refusal when it sees it but may not.
CREATE OR REPLACE FUNCTION pangolin_private.relation_for(privilege text, catalog bigint, ns_levels text[],
                                                         rel_name text, rel_kind text, what text)
  RETURNS TABLE (id bigint, namespace_id bigint, metadata_location text)
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  found record;
BEGIN
  PERFORM pangolin_private.require_levels(ns_levels);
  PERFORM pangolin_private.require_relation(rel_name, rel_kind, NULL);
  SELECT r.id, r.namespace_id, r.metadata_location INTO found
  FROM pangolin.namespaces n JOIN pangolin.relations r ON r.namespace_id = n.id
  WHERE n.catalog_id = catalog AND n.levels = ns_levels AND r.name = rel_name AND r.kind = rel_kind;
  IF found.id IS NULL THEN
    RETURN;
  END IF;
  IF NOT pangolin_private.holds(privilege, catalog, found.namespace_id, found.id) THEN
    IF NOT pangolin.sees(catalog, found.namespace_id, found.id) THEN
      RETURN;
    END IF;
    PERFORM pangolin_private.refuse(privilege, what);
  END IF;
  RETURN QUERY SELECT found.id, found.namespace_id, found.metadata_location;
END $$;

-- A rename or move within the catalog: DROP where the table or view is and CREATE where it goes, as a drop and a
-- create would need; its pointer is checked again against the warehouse. Answers 0 when the principal does not
-- see it; a destination namespace it does not see does not exist for it (23502), a taken name is 23505.
CREATE OR REPLACE FUNCTION pangolin.rename_relation(catalog bigint, from_levels text[], from_name text,
                                                    rel_kind text, to_levels text[], to_name text) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  src record;
  dest bigint;
  from_label text := array_to_string(from_levels, '.') || '.' || from_name;
  to_label text := array_to_string(to_levels, '.') || '.' || to_name;
BEGIN
  PERFORM require_relation(to_name, rel_kind, NULL);
  PERFORM require_levels(to_levels);
  SELECT * INTO src FROM relation_for('DROP', catalog, from_levels, from_name, rel_kind,
                                       format('%s %s (renaming it to %s)', lower(rel_kind), from_label, to_label));
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  dest := namespace_for('CREATE', catalog, to_levels,
                        format('namespace %s (renaming %s %s to %s)', array_to_string(to_levels, '.'),
                               lower(rel_kind), from_label, to_label));
  IF dest IS NULL THEN
    RAISE EXCEPTION 'Namespace % does not exist', shown(array_to_string(to_levels, '.'))
      USING ERRCODE = 'not_null_violation';
  END IF;
  PERFORM require_location_in_warehouse(catalog, src.metadata_location, to_name);
  UPDATE relations r SET namespace_id = dest, name = to_name, updated_at = now() WHERE r.id = src.id;
  RETURN 1;
END $$;

-- A drop keeps the table or view in the graveyard (R__75); purge asks gc to delete its files once its retention
-- ends. The argument replaces V7's session setting, which a caller could set.
CREATE OR REPLACE FUNCTION pangolin.drop_relation(catalog bigint, ns_levels text[], rel_name text, rel_kind text,
                                                  purge boolean) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  victim record;
BEGIN
  SELECT * INTO victim FROM relation_for('DROP', catalog, ns_levels, rel_name, rel_kind,
                                         format('%s %s.%s', lower(rel_kind), array_to_string(ns_levels, '.'), rel_name));
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  DELETE FROM relations r WHERE r.id = victim.id;
  IF coalesce(purge, false) AND rel_kind = 'TABLE' THEN
    UPDATE dropped_relations d SET purge_requested = true
    WHERE d.id = (SELECT max(g.id) FROM dropped_relations g WHERE g.relation_id = victim.id);
  END IF;
  RETURN 1;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION
    pangolin.load_pointer(bigint, bigint, text[], text),
    pangolin.swap_pointer(text, bigint, text[], text, text, text),
    pangolin.create_relation(bigint, text[], text, text, text, text),
    pangolin.rename_relation(bigint, text[], text, text, text[], text),
    pangolin.drop_relation(bigint, text[], text, text, boolean)
  TO pangolin_principal;
