-- A JDBC-catalog client names a namespace by its levels joined with '.', so Pangolin's namespace ["a.b"] and
-- ["a","b"] read the same. Before this migration a statement through the layout matched every Pangolin object
-- behind such a name: one DROP TABLE through Iceberg's JdbcCatalog deleted two tables.
-- Now a write through the layout that touches an ambiguous name is refused before anything changes. A name is
-- ambiguous when more than one Pangolin object of the catalog reads as it, or when one of its namespace levels
-- itself contains '.' (a JDBC-catalog client would mean the split levels, not that object).
-- The triggers are row-level: a statement that matches two view rows of one ambiguous name is refused on the
-- first row, which aborts the whole statement.
-- Readers see every table and view row, so a listing shows an ambiguous name once per object behind it. A
-- namespace string shared by several Pangolin namespaces shows as one namespace without properties: whose
-- properties they are cannot be said, and Iceberg's JdbcCatalog fails to load a namespace with two 'exists' rows.

CREATE OR REPLACE VIEW pangolin_jdbc.iceberg_namespace_properties AS
WITH joined AS (
  SELECT n.catalog_id, array_to_string(n.levels, '.') AS namespace, count(*) AS holders, min(n.id) AS id
  FROM pangolin.namespaces n
  GROUP BY n.catalog_id, array_to_string(n.levels, '.')
)
SELECT c.jdbc_name::varchar(255)                    AS catalog_name,
       j.namespace::varchar(255)                    AS namespace,
       'exists'::varchar(255)                       AS property_key,
       'true'::varchar(1000)                        AS property_value,
       CASE WHEN j.holders = 1 THEN j.id END        AS pangolin_namespace_id
FROM joined j
JOIN pangolin.catalogs c ON c.id = j.catalog_id
UNION ALL
SELECT c.jdbc_name, j.namespace, p.key, p.value, n.id
FROM joined j
JOIN pangolin.catalogs c ON c.id = j.catalog_id
JOIN pangolin.namespaces n ON n.id = j.id
CROSS JOIN LATERAL jsonb_each_text(n.properties) p
WHERE j.holders = 1 AND p.key <> 'exists';

CREATE FUNCTION pangolin_jdbc.has_dotted_level(levels text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT EXISTS (SELECT 1 FROM unnest(levels) AS level WHERE strpos(level, '.') > 0)
$$;

-- Refuses a write through the layout to an ambiguous name: a JDBC-catalog client's namespace string and, for a
-- table or view, its name (relation_name NULL for the namespace itself).
CREATE FUNCTION pangolin_jdbc.refuse_ambiguous(jdbc_catalog text, namespace_string text, relation_name text,
                                               relation_kind text) RETURNS void
LANGUAGE plpgsql STABLE AS $$
DECLARE
  holders int;
  dotted boolean;
  names text;
  object text;
BEGIN
  SELECT count(*), coalesce(bool_or(pangolin_jdbc.has_dotted_level(n.levels)), false),
         string_agg(to_jsonb(n.levels)::text, ' and ' ORDER BY n.levels)
  INTO holders, dotted, names
  FROM pangolin.namespaces n JOIN pangolin.catalogs c ON c.id = n.catalog_id
  WHERE c.jdbc_name = jdbc_catalog AND array_to_string(n.levels, '.') = namespace_string
    AND (relation_name IS NULL
         OR EXISTS (SELECT 1 FROM pangolin.relations r WHERE r.namespace_id = n.id AND r.name = relation_name));
  IF holders <= 1 AND NOT dotted THEN
    RETURN;
  END IF;
  object := CASE WHEN relation_name IS NULL THEN format('namespace "%s"', namespace_string)
                 ELSE format('%s "%s" in namespace "%s"', lower(coalesce(relation_kind, 'table')), relation_name,
                             namespace_string) END;
  RAISE EXCEPTION 'Ambiguous name: % of catalog "%" reads as Pangolin''s namespace %; a namespace level '
                  'containing ''.'' cannot be told apart from nested levels through the JDBC-catalog layout, '
                  'so nothing was changed', object, jdbc_catalog, names
    USING ERRCODE = 'cardinality_violation',
          HINT = 'Use the Pangolin catalog (catalog-impl=io.pangolin.catalog.PangolinCatalog) for this name, '
                 'or rename its objects so that no namespace level contains ''.''.';
END $$;

CREATE OR REPLACE FUNCTION pangolin_jdbc.iceberg_tables_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(NEW.catalog_name, NEW.table_namespace, NEW.table_name,
                                                    NEW.iceberg_type);
    INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
    VALUES (pangolin_jdbc.namespace_id(NEW.catalog_name, NEW.table_namespace), NEW.table_name,
            coalesce(NEW.iceberg_type, 'TABLE'), NEW.metadata_location, NEW.previous_metadata_location);
    RETURN NEW;
  END IF;
  PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, OLD.table_namespace, OLD.table_name,
                                                  OLD.iceberg_type);
  IF TG_OP = 'DELETE' THEN
    DELETE FROM pangolin.relations WHERE id = OLD.pangolin_relation_id;
    RETURN CASE WHEN FOUND THEN OLD END;
  END IF;

  IF NEW.catalog_name IS DISTINCT FROM OLD.catalog_name OR NEW.iceberg_type IS DISTINCT FROM OLD.iceberg_type THEN
    RAISE EXCEPTION 'Cannot move % "%" to another catalog or change its type', OLD.iceberg_type, OLD.table_name
      USING ERRCODE = 'feature_not_supported';
  END IF;
  IF NEW.table_namespace IS DISTINCT FROM OLD.table_namespace OR NEW.table_name IS DISTINCT FROM OLD.table_name THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, NEW.table_namespace, NEW.table_name,
                                                    OLD.iceberg_type);
    UPDATE pangolin.relations
    SET namespace_id = pangolin_jdbc.namespace_id(OLD.catalog_name, NEW.table_namespace),
        name = NEW.table_name, updated_at = now()
    WHERE id = OLD.pangolin_relation_id;
    RETURN CASE WHEN FOUND THEN NEW END;
  END IF;
  -- The compare-and-swap: re-checked against the latest committed row, so a concurrent commit makes this a no-op
  -- and the writer sees 0 rows updated.
  UPDATE pangolin.relations
  SET metadata_location = NEW.metadata_location,
      previous_metadata_location = NEW.previous_metadata_location,
      updated_at = now()
  WHERE id = OLD.pangolin_relation_id AND metadata_location = OLD.metadata_location;
  RETURN CASE WHEN FOUND THEN NEW END;
END $$;

CREATE OR REPLACE FUNCTION pangolin_jdbc.iceberg_namespace_properties_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(NEW.catalog_name, NEW.namespace, NULL, NULL);
    target := pangolin_jdbc.ensure_namespace(NEW.catalog_name, NEW.namespace);
    IF NEW.property_key <> 'exists' THEN
      UPDATE pangolin.namespaces
      SET properties = properties || jsonb_build_object(NEW.property_key, NEW.property_value)
      WHERE id = target;
    END IF;
    RETURN NEW;
  END IF;
  PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, OLD.namespace, NULL, NULL);
  IF TG_OP = 'UPDATE' THEN
    IF NEW.property_key IS DISTINCT FROM OLD.property_key OR NEW.namespace IS DISTINCT FROM OLD.namespace
       OR NEW.catalog_name IS DISTINCT FROM OLD.catalog_name OR OLD.property_key = 'exists' THEN
      RAISE EXCEPTION 'Only property values can be updated' USING ERRCODE = 'feature_not_supported';
    END IF;
    UPDATE pangolin.namespaces
    SET properties = properties || jsonb_build_object(NEW.property_key, NEW.property_value)
    WHERE id = OLD.pangolin_namespace_id;
    RETURN NEW;
  END IF;
  IF OLD.property_key = 'exists' THEN
    -- Refused by the foreign keys while the namespace still holds tables, views or child namespaces.
    DELETE FROM pangolin.namespaces WHERE id = OLD.pangolin_namespace_id;
  ELSE
    UPDATE pangolin.namespaces SET properties = properties - OLD.property_key WHERE id = OLD.pangolin_namespace_id;
  END IF;
  RETURN OLD;
END $$;
