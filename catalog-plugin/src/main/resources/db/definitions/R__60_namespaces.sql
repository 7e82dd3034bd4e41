-- Namespaces on main. Each function answers 0 for a namespace the acting principal does not see, and refuses
-- (42501) a change to one it sees but may not make: CREATE on the parent (or the catalog), WRITE, DROP.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.require_properties(props jsonb) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF props IS NOT NULL AND (jsonb_typeof(props) <> 'object' OR octet_length(props::text) > 1048576) THEN
    RAISE EXCEPTION 'Invalid properties: a JSON object of at most 1 MiB' USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin.create_namespace(catalog bigint, ns_levels text[], props jsonb) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  depth integer := cardinality(ns_levels);
  label text := array_to_string(ns_levels, '.');
  parent bigint;
  new_id bigint;
BEGIN
  PERFORM require_levels(ns_levels);
  PERFORM require_properties(props);
  IF NOT holds('CREATE', catalog, namespace_anchor(catalog, ns_levels[1:depth - 1]), NULL) THEN
    PERFORM refuse('CREATE', 'namespace ' || label);
  END IF;
  IF depth > 1 THEN
    SELECT p.id INTO parent FROM namespaces p WHERE p.catalog_id = catalog AND p.levels = ns_levels[1:depth - 1];
    IF parent IS NULL THEN
      RAISE EXCEPTION 'Namespace % does not exist (the parent of %; create the parent first)',
        shown(array_to_string(ns_levels[1:depth - 1], '.')), shown(label) USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  INSERT INTO namespaces (catalog_id, parent_id, levels, properties)
  VALUES (catalog, parent, ns_levels, coalesce(props, '{}'))
  RETURNING id INTO new_id;
  RETURN new_id;
END $$;

-- The namespace by levels for a change that needs privilege there: its id when the acting principal may, NULL
-- when it does not exist or the principal does not see it, a refusal when it sees it but may not. The privilege
-- is checked first, so the common case costs one probe.
CREATE OR REPLACE FUNCTION pangolin_private.namespace_for(privilege text, catalog bigint, ns_levels text[],
                                                          what text) RETURNS bigint
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  found_id bigint;
BEGIN
  PERFORM pangolin_private.require_levels(ns_levels);
  SELECT n.id INTO found_id FROM pangolin.namespaces n WHERE n.catalog_id = catalog AND n.levels = ns_levels;
  IF found_id IS NULL OR pangolin_private.holds(privilege, catalog, found_id, NULL) THEN
    RETURN found_id;
  END IF;
  IF pangolin.sees(catalog, found_id, NULL) THEN
    PERFORM pangolin_private.refuse(privilege, what);
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pangolin.alter_namespace(catalog bigint, ns_levels text[], set_props jsonb,
                                                    remove_keys text[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  ns bigint := namespace_for('WRITE', catalog, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
BEGIN
  PERFORM require_properties(set_props);
  IF ns IS NULL THEN
    RETURN 0;
  END IF;
  UPDATE namespaces n SET properties = (n.properties - coalesce(remove_keys, '{}')) || coalesce(set_props, '{}')
  WHERE n.id = ns;
  RETURN 1;
END $$;

-- The foreign keys refuse a namespace that still holds tables, views or namespaces (23503).
CREATE OR REPLACE FUNCTION pangolin.drop_namespace(catalog bigint, ns_levels text[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  ns bigint := namespace_for('DROP', catalog, ns_levels, 'namespace ' || array_to_string(ns_levels, '.'));
BEGIN
  IF ns IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM namespaces n WHERE n.id = ns;
  RETURN 1;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.create_namespace(bigint, text[], jsonb),
                          pangolin.alter_namespace(bigint, text[], jsonb, text[]),
                          pangolin.drop_namespace(bigint, text[])
  TO pangolin_principal;
