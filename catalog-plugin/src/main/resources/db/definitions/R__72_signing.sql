-- S3 remote signing for pangolin serve (issue 21): whether the acting principal may have one S3 request signed.
-- The endpoint classifies the request (read or write, the s3:// locations it touches) and asks pangolin.sign_check;
-- only an answer with a row is signed. A table's files are signed for whoever may read (as load_pointer) or write
-- (as swap_pointer) the table whose location holds them all; a new table's files, before its pointer exists, for
-- whoever holds CREATE on the namespace whose default directory holds them, never under any table's location.
SET ROLE pangolin_owner;

-- One spelling per S3 location: s3a:// and s3n:// name the same store as s3://.
CREATE OR REPLACE FUNCTION pangolin_private.s3_spelling(location text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT pg_catalog.regexp_replace(location, '^s3[an]?://', 's3://', 'i')
$$;

-- A table's location as signing compares it: its metadata location less /metadata/<file>, Iceberg's default
-- layout, under which it also writes data. A table whose metadata lies elsewhere is held to that directory.
CREATE OR REPLACE FUNCTION pangolin_private.signing_location(metadata_location text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT pg_catalog.regexp_replace(pg_catalog.regexp_replace(pangolin_private.s3_spelling(metadata_location),
                                                             '/[^/]*$', ''), '/metadata$', '')
$$;

-- One name as a path segment, exactly as StorageLocations.segment writes it (Java): letters, digits, '_', '-' and
-- '.' stay, every other UTF-8 byte becomes ~XX, and "." and ".." are escaped whole.
CREATE OR REPLACE FUNCTION pangolin_private.location_segment(part text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT coalesce(pg_catalog.string_agg(
           CASE WHEN x.b BETWEEN 48 AND 57 OR x.b BETWEEN 65 AND 90 OR x.b BETWEEN 97 AND 122 OR x.b IN (45, 95)
                     OR (x.b = 46 AND part NOT IN ('.', '..'))
                THEN pg_catalog.chr(x.b)
                ELSE '~' || pg_catalog.upper(pg_catalog.lpad(pg_catalog.to_hex(x.b), 2, '0')) END, '' ORDER BY x.i), '')
  FROM (SELECT i, pg_catalog.get_byte(pg_catalog.convert_to(part, 'UTF8'), i) AS b
        FROM pg_catalog.generate_series(0, pg_catalog.octet_length(pg_catalog.convert_to(part, 'UTF8')) - 1) i) x
$$;

-- The directory new tables of a namespace go to by default (StorageLocations.defaultLocation less the table's own
-- segment): the warehouse root, the catalog's name, then each level.
CREATE OR REPLACE FUNCTION pangolin_private.namespace_directory(root text, catalog_name text, levels text[])
  RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$
  SELECT pangolin_private.s3_spelling(pg_catalog.rtrim(root, '/')) || '/'
         || pangolin_private.location_segment(catalog_name)
         || (SELECT pg_catalog.string_agg('/' || pangolin_private.location_segment(u.l), '' ORDER BY u.o)
             FROM pg_catalog.unnest(levels) WITH ORDINALITY u (l, o))
$$;

-- The locations of one sign request, bounded and in one spelling: 1 to 1000 (S3's DeleteObjects limit), each an
-- s3://bucket/key of at most 4096 characters with no "." or ".." segment.
CREATE OR REPLACE FUNCTION pangolin_private.require_sign_locations(locations text[]) RETURNS text[]
  LANGUAGE plpgsql IMMUTABLE
  AS $_$
DECLARE
  bad text;
BEGIN
  IF locations IS NULL OR pg_catalog.array_ndims(locations) > 1 OR pg_catalog.cardinality(locations) < 1
     OR pg_catalog.cardinality(locations) > 1000 OR pg_catalog.array_position(locations, NULL) IS NOT NULL THEN
    RAISE EXCEPTION 'Invalid locations to sign: 1 to 1000 s3:// locations, none of them NULL'
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  SELECT l INTO bad FROM pg_catalog.unnest(locations) l
  WHERE pg_catalog.length(l) > 4096 OR l !~* '^s3[an]?://[^/]+/.' OR l ~ '(^|/)\.\.?(/|$)' LIMIT 1;
  IF bad IS NOT NULL THEN
    RAISE EXCEPTION 'Invalid location to sign %: an s3://bucket/key of at most 4096 characters without "." or'
                    ' ".." segments', pangolin_private.shown(bad) USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN ARRAY(SELECT pangolin_private.s3_spelling(u.l) FROM pg_catalog.unnest(locations) WITH ORDINALITY u (l, o)
               ORDER BY u.o);
END $_$;

-- For a new table's files: the default directory of the catalog's deepest namespace that holds every location in a
-- table directory of its own (directory/<table>/<file...>), when the acting principal holds CREATE there and no
-- table or view of the tenant (current, on a branch, or dropped and still restorable) holds any of them; else NULL.
CREATE OR REPLACE FUNCTION pangolin_private.new_table_directory(catalog bigint, locations text[]) RETURNS text
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  c record;
  ns record;
BEGIN
  SELECT k.name, k.tenant_id, w.storage_root INTO c
  FROM pangolin.catalogs k JOIN pangolin.warehouses w ON w.id = k.warehouse_id WHERE k.id = catalog;
  SELECT n.id, d.dir INTO ns
  FROM pangolin.namespaces n,
       LATERAL (SELECT pangolin_private.namespace_directory(c.storage_root, c.name, n.levels) AS dir) d
  WHERE n.catalog_id = catalog AND starts_with(locations[1], d.dir || '/')
    AND substr(locations[1], length(d.dir) + 2) ~ '^[^/]+/.'
  ORDER BY cardinality(n.levels) DESC LIMIT 1;
  IF ns.id IS NULL OR NOT pangolin_private.holds('CREATE', catalog, ns.id, NULL)
     OR EXISTS (SELECT 1 FROM unnest(locations) l
                WHERE NOT (starts_with(l, ns.dir || '/') AND substr(l, length(ns.dir) + 2) ~ '^[^/]+/.')) THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1
             FROM (SELECT pangolin_private.signing_location(h.location) AS location
                   FROM (SELECT r.metadata_location AS location
                         FROM pangolin.relations r JOIN pangolin.namespaces n ON n.id = r.namespace_id
                         JOIN pangolin.catalogs k ON k.id = n.catalog_id WHERE k.tenant_id = c.tenant_id
                         UNION ALL
                         SELECT d.metadata_location FROM pangolin.dropped_relations d
                         JOIN pangolin.catalogs k ON k.id = d.catalog_id WHERE k.tenant_id = c.tenant_id
                         UNION ALL
                         SELECT unnest(ARRAY[rr.metadata_location, rr.base_location]) FROM pangolin.ref_relations rr
                         JOIN pangolin.catalogs k ON k.id = rr.catalog_id WHERE k.tenant_id = c.tenant_id) h
                   WHERE h.location IS NOT NULL OFFSET 0) held
             JOIN unnest(locations) l ON starts_with(l, held.location || '/')) THEN
    RETURN NULL;
  END IF;
  RETURN ns.dir;
END $$;

-- The decision for one S3 request of the acting principal in the catalog with this JDBC name: the table named by
-- ns_levels and rel_name, or (both NULL, for plugin engines whose FileIO names no table) the catalog's table whose
-- location holds the first location. READ needs any privilege on the table (as load_pointer); WRITE needs WRITE,
-- ADMIN or SUPERUSER (as swap_pointer), or, where no table is, CREATE as new_table_directory says. Answers one row,
-- or refuses (42501) naming the principal, the privilege and the table or location as the caller named them: a
-- catalog or table the principal does not see gets the same answer as one that does not exist.
CREATE OR REPLACE FUNCTION pangolin.sign_check(jdbc_name text, ns_levels text[], rel_name text, access text,
                                               locations text[])
  RETURNS TABLE (warehouse_id bigint, catalog_id bigint, table_name text, table_location text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  wanted text[];
  named boolean := ns_levels IS NOT NULL OR rel_name IS NOT NULL;
  label text;
  cat record;
  tbl record;
  stray text;
  created text;
BEGIN
  PERFORM require_text('catalog', jdbc_name, 255);
  IF access IS NULL OR access NOT IN ('READ', 'WRITE') THEN
    RAISE EXCEPTION 'Invalid access %: READ or WRITE', coalesce(shown(access), 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF named THEN
    PERFORM require_levels(ns_levels);
    PERFORM require_text('table name', rel_name, 255);
  END IF;
  wanted := require_sign_locations(locations);
  label := CASE WHEN named THEN format('table %s.%s', array_to_string(ns_levels, '.'), rel_name)
                ELSE 'location ' || wanted[1] END || ' of catalog ' || jdbc_name;

  SELECT c.id, c.warehouse_id INTO cat FROM catalogs c
  WHERE c.jdbc_name = sign_check.jdbc_name AND sees(c.id, NULL, NULL);
  IF cat.id IS NULL THEN
    PERFORM refuse(access, label);
  END IF;

  -- A table this principal staged (a create transaction, CTAS): its files at the location recorded for it.
  SELECT s.location INTO created FROM pangolin_private.staged_locations s
  WHERE s.principal = acting_principal() AND s.catalog_id = cat.id AND s.expires_at > now()
    AND (NOT named OR (s.ns_levels = sign_check.ns_levels AND s.rel_name = sign_check.rel_name))
    AND NOT EXISTS (SELECT 1 FROM unnest(wanted) l WHERE NOT starts_with(l, s.location || '/'))
  LIMIT 1;
  IF created IS NOT NULL THEN
    RETURN QUERY SELECT cat.warehouse_id, cat.id,
                        CASE WHEN named THEN array_to_string(ns_levels, '.') || '.' || rel_name END, created;
    RETURN;
  END IF;

  SELECT r.id, array_to_string(n.levels, '.') || '.' || r.name AS name,
         signing_location(r.metadata_location) AS location,
         ARRAY(SELECT p FROM privileges_held(cat.id, n.id, r.id) p) AS held
  INTO tbl
  FROM namespaces n JOIN relations r ON r.namespace_id = n.id
  WHERE n.catalog_id = cat.id AND r.kind = 'TABLE'
    AND CASE WHEN named THEN n.levels = ns_levels AND r.name = rel_name
             ELSE starts_with(wanted[1], signing_location(r.metadata_location) || '/') END
  ORDER BY length(signing_location(r.metadata_location)) DESC LIMIT 1;

  IF tbl.id IS NOT NULL AND cardinality(tbl.held) > 0 THEN
    IF access = 'WRITE' AND NOT tbl.held && ARRAY['WRITE', 'ADMIN', 'SUPERUSER'] THEN
      PERFORM refuse(access, format('table %s of catalog %s', tbl.name, jdbc_name));
    END IF;
    -- Every location under this table's own location, and none under another table's nested inside it.
    SELECT l INTO stray FROM unnest(wanted) l
    WHERE NOT starts_with(l, tbl.location || '/')
       OR EXISTS (SELECT 1 FROM namespaces n JOIN relations r ON r.namespace_id = n.id
                  WHERE n.catalog_id = cat.id AND r.id <> tbl.id
                    AND starts_with(signing_location(r.metadata_location), tbl.location || '/')
                    AND starts_with(l, signing_location(r.metadata_location) || '/'))
    LIMIT 1;
    IF stray IS NOT NULL THEN
      PERFORM refuse(access, format('%s, outside table %s of catalog %s', stray, tbl.name, jdbc_name));
    END IF;
    RETURN QUERY SELECT cat.warehouse_id, cat.id, tbl.name, tbl.location;
    RETURN;
  END IF;

  IF access = 'WRITE' THEN
    created := new_table_directory(cat.id, wanted);
    IF created IS NOT NULL THEN
      RETURN QUERY SELECT cat.warehouse_id, cat.id, NULL::text, created;
      RETURN;
    END IF;
  END IF;
  PERFORM refuse(access, label);
END $$;

-- Records where the acting principal's staged table (a create transaction, CTAS) writes its files before its
-- pointer exists, for an hour: a new table needs CREATE on its namespace, a table replaced in place needs WRITE on it.
-- The location lies in the catalog's warehouse and neither under nor above any other table or view of the tenant.
CREATE OR REPLACE FUNCTION pangolin.stage_table_location(jdbc_name text, ns_levels text[], rel_name text,
                                                         location text) RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  cat record;
  spelled text;
  what text;
  existing bigint;
BEGIN
  PERFORM require_text('catalog', jdbc_name, 255);
  PERFORM require_levels(ns_levels);
  PERFORM require_text('table name', rel_name, 255);
  PERFORM require_text('table location', location, 4000);
  spelled := pg_catalog.rtrim(s3_spelling(location), '/');
  what := format('table %s.%s of catalog %s', array_to_string(ns_levels, '.'), rel_name, jdbc_name);
  SELECT c.id, c.tenant_id INTO cat FROM catalogs c
  WHERE c.jdbc_name = stage_table_location.jdbc_name AND sees(c.id, NULL, NULL);
  IF cat.id IS NULL THEN
    PERFORM refuse('CREATE', what);
  END IF;
  PERFORM require_location_in_warehouse(cat.id, spelled || '/metadata/staged.json', rel_name);
  SELECT r.id INTO existing FROM (SELECT * FROM relation_for('WRITE', cat.id, ns_levels, rel_name, 'TABLE', what)) r;
  IF existing IS NULL
     AND namespace_for('CREATE', cat.id, ns_levels, 'namespace ' || array_to_string(ns_levels, '.')) IS NULL THEN
    PERFORM refuse('CREATE', what);
  END IF;
  IF EXISTS (SELECT 1 FROM (SELECT r.id, signing_location(r.metadata_location) AS held
                            FROM relations r JOIN namespaces n ON n.id = r.namespace_id
                            JOIN catalogs k ON k.id = n.catalog_id WHERE k.tenant_id = cat.tenant_id) h
             WHERE h.id IS DISTINCT FROM existing
               AND (starts_with(spelled || '/', h.held || '/') OR starts_with(h.held || '/', spelled || '/'))) THEN
    PERFORM refuse('CREATE', format('%s, whose location %s lies under or above another table', what,
                                    shown(spelled)));
  END IF;
  DELETE FROM pangolin_private.staged_locations s WHERE s.expires_at < now();
  INSERT INTO pangolin_private.staged_locations AS s (principal, catalog_id, ns_levels, rel_name, location,
                                                      expires_at)
  VALUES (acting_principal(), cat.id, ns_levels, rel_name, spelled, now() + interval '1 hour')
  ON CONFLICT ON CONSTRAINT staged_locations_pkey DO UPDATE SET expires_at = EXCLUDED.expires_at;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.sign_check(text, text[], text, text, text[]),
                          pangolin.stage_table_location(text, text[], text, text) TO pangolin_principal;
