-- The layout Iceberg's JDBC catalog reads and writes (schema "V1" of org.apache.iceberg.jdbc.JdbcCatalog), as views
-- over Pangolin's tables in a schema of their own: Trino (iceberg.catalog.type=jdbc), PyIceberg's SQL catalog and
-- JdbcCatalog point their connection at it with currentSchema=pangolin_jdbc. The views are security_invoker, so the
-- read policies decide what a client sees; their INSTEAD OF triggers run as the client and make every change by
-- calling the same functions the plugin calls, so every client has the same rights. A commit keeps its
-- compare-and-swap: the pointer moves only if it still holds the location the writer read.
--
-- Namespace levels are joined with '.', as the JDBC catalog does. Pangolin's namespace ["a.b"] and ["a","b"] read
-- the same, so a write to such an ambiguous name is refused before anything changes (one DROP TABLE through
-- JdbcCatalog once deleted two tables). A namespace string shared by several namespaces reads as one namespace
-- without properties: whose they are cannot be said, and JdbcCatalog fails on two 'exists' rows.
SET ROLE pangolin_owner;

-- The views read through these functions rather than from the tables: a locking clause on a view (SELECT ... FOR
-- UPDATE, which the views' write grant would allow) then locks no row or table of Pangolin's, so no client can
-- hold anything stronger than ACCESS SHARE on them. The functions are plain SQL, so the planner inlines them and
-- a client's filters still reach the indexes.
CREATE OR REPLACE FUNCTION pangolin_jdbc.table_rows()
  RETURNS TABLE (catalog_name text, table_namespace text, table_name text, metadata_location text,
                 previous_metadata_location text, iceberg_type text, pangolin_relation_id bigint)
  LANGUAGE sql STABLE
  AS $$
  SELECT c.jdbc_name::text, pg_catalog.array_to_string(n.levels, '.'), r.name, r.metadata_location,
         r.previous_metadata_location, r.kind, r.id
  FROM pangolin.relations r
  JOIN pangolin.namespaces n ON n.id OPERATOR(pg_catalog.=) r.namespace_id
  JOIN pangolin.catalogs c ON c.id OPERATOR(pg_catalog.=) n.catalog_id
$$;

CREATE OR REPLACE FUNCTION pangolin_jdbc.namespace_rows()
  RETURNS TABLE (catalog_name text, namespace text, property_key text, property_value text,
                 pangolin_namespace_id bigint)
  LANGUAGE sql STABLE
  AS $$
  WITH joined AS (
    SELECT n.catalog_id, pg_catalog.array_to_string(n.levels, '.') AS namespace, pg_catalog.count(*) AS holders,
           pg_catalog.min(n.id) AS id
    FROM pangolin.namespaces n
    GROUP BY n.catalog_id, pg_catalog.array_to_string(n.levels, '.')
  )
  SELECT c.jdbc_name::text, j.namespace, 'exists', 'true',
         CASE WHEN j.holders OPERATOR(pg_catalog.=) 1 THEN j.id END
  FROM joined j
  JOIN pangolin.catalogs c ON c.id OPERATOR(pg_catalog.=) j.catalog_id
  UNION ALL
  SELECT c.jdbc_name::text, j.namespace, p.key, p.value, n.id
  FROM joined j
  JOIN pangolin.catalogs c ON c.id OPERATOR(pg_catalog.=) j.catalog_id
  JOIN pangolin.namespaces n ON n.id OPERATOR(pg_catalog.=) j.id
  CROSS JOIN LATERAL pg_catalog.jsonb_each_text(n.properties) p
  WHERE j.holders OPERATOR(pg_catalog.=) 1 AND p.key OPERATOR(pg_catalog.<>) 'exists'
$$;

CREATE OR REPLACE VIEW pangolin_jdbc.iceberg_tables WITH (security_invoker = true) AS
SELECT t.catalog_name::varchar(255)                AS catalog_name,
       t.table_namespace::varchar(255)             AS table_namespace,
       t.table_name::varchar(255)                  AS table_name,
       t.metadata_location::varchar(1000)          AS metadata_location,
       t.previous_metadata_location::varchar(1000) AS previous_metadata_location,
       t.iceberg_type::varchar(5)                  AS iceberg_type,
       t.pangolin_relation_id                      AS pangolin_relation_id
FROM pangolin_jdbc.table_rows() t;

CREATE OR REPLACE VIEW pangolin_jdbc.iceberg_namespace_properties WITH (security_invoker = true) AS
SELECT p.catalog_name::varchar(255)    AS catalog_name,
       p.namespace::varchar(255)       AS namespace,
       p.property_key::varchar(255)    AS property_key,
       p.property_value::varchar(1000) AS property_value,
       p.pangolin_namespace_id         AS pangolin_namespace_id
FROM pangolin_jdbc.namespace_rows() p;

-- The catalog a JDBC-catalog name selects, as far as the client sees it. The name grants nothing.
CREATE OR REPLACE FUNCTION pangolin_jdbc.catalog_id(jdbc_catalog text) RETURNS bigint
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  found_id bigint;
BEGIN
  SELECT c.id INTO found_id FROM pangolin.catalogs c WHERE c.jdbc_name = jdbc_catalog;
  IF found_id IS NULL THEN
    RAISE EXCEPTION 'Catalog "%" does not exist', left(jdbc_catalog, 200) USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN found_id;
END $$;

-- A namespace string, split on '.' (the only reading a JDBC-catalog client can mean), to the namespace row.
CREATE OR REPLACE FUNCTION pangolin_jdbc.namespace_id(jdbc_catalog text, namespace_string text) RETURNS bigint
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  found_id bigint;
BEGIN
  SELECT n.id INTO found_id
  FROM pangolin.namespaces n JOIN pangolin.catalogs c ON c.id = n.catalog_id
  WHERE c.jdbc_name = jdbc_catalog AND n.levels = string_to_array(namespace_string, '.');
  IF found_id IS NULL THEN
    RAISE EXCEPTION 'Namespace "%" does not exist in catalog "%"', left(namespace_string, 200), left(jdbc_catalog, 200)
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Create the namespace first (CREATE NAMESPACE / CREATE SCHEMA).';
  END IF;
  RETURN found_id;
END $$;

CREATE OR REPLACE FUNCTION pangolin_jdbc.has_dotted_level(levels text[]) RETURNS boolean
  LANGUAGE sql IMMUTABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
  SELECT EXISTS (SELECT 1 FROM unnest(levels) AS level WHERE strpos(level, '.') > 0)
$$;

-- Refuses a write through the layout to an ambiguous name: a namespace string and, for a table or view, its name
-- (relation_name NULL for the namespace itself).
CREATE OR REPLACE FUNCTION pangolin_jdbc.refuse_ambiguous(jdbc_catalog text, namespace_string text,
                                                          relation_name text, relation_kind text) RETURNS void
  LANGUAGE plpgsql STABLE
  SET search_path = pg_catalog, pg_temp
  AS $$
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
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  catalog bigint;
  row_levels text[];
  changed integer;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(NEW.catalog_name, NEW.table_namespace, NEW.table_name, NEW.iceberg_type);
    PERFORM pangolin_jdbc.namespace_id(NEW.catalog_name, NEW.table_namespace);
    changed := pangolin.create_relation(pangolin_jdbc.catalog_id(NEW.catalog_name),
                                        string_to_array(NEW.table_namespace, '.'), NEW.table_name,
                                        coalesce(NEW.iceberg_type, 'TABLE'), NEW.metadata_location,
                                        NEW.previous_metadata_location);
    RETURN CASE WHEN changed = 1 THEN NEW END;
  END IF;
  PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, OLD.table_namespace, OLD.table_name, OLD.iceberg_type);
  SELECT n.catalog_id, n.levels INTO catalog, row_levels
  FROM pangolin.relations r JOIN pangolin.namespaces n ON n.id = r.namespace_id WHERE r.id = OLD.pangolin_relation_id;
  IF TG_OP = 'DELETE' THEN
    changed := pangolin.drop_relation(catalog, row_levels, OLD.table_name, OLD.iceberg_type, false);
    RETURN CASE WHEN changed = 1 THEN OLD END;
  END IF;
  IF NEW.catalog_name IS DISTINCT FROM OLD.catalog_name OR NEW.iceberg_type IS DISTINCT FROM OLD.iceberg_type THEN
    RAISE EXCEPTION 'Cannot move % "%" to another catalog or change its type', OLD.iceberg_type, OLD.table_name
      USING ERRCODE = 'feature_not_supported';
  END IF;
  IF NEW.table_namespace IS DISTINCT FROM OLD.table_namespace OR NEW.table_name IS DISTINCT FROM OLD.table_name THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, NEW.table_namespace, NEW.table_name, OLD.iceberg_type);
    PERFORM pangolin_jdbc.namespace_id(OLD.catalog_name, NEW.table_namespace);
    changed := pangolin.rename_relation(catalog, row_levels, OLD.table_name, OLD.iceberg_type,
                                        string_to_array(NEW.table_namespace, '.'), NEW.table_name);
    RETURN CASE WHEN changed = 1 THEN NEW END;
  END IF;
  changed := pangolin.swap_pointer(NEW.metadata_location, catalog, row_levels, OLD.table_name, OLD.iceberg_type,
                                   OLD.metadata_location);
  RETURN CASE WHEN changed = 1 THEN NEW END;
END $$;

CREATE OR REPLACE FUNCTION pangolin_jdbc.iceberg_namespace_properties_write() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  catalog bigint;
  row_levels text[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM pangolin_jdbc.refuse_ambiguous(NEW.catalog_name, NEW.namespace, NULL, NULL);
    catalog := pangolin_jdbc.catalog_id(NEW.catalog_name);
    row_levels := string_to_array(NEW.namespace, '.');
    IF NOT EXISTS (SELECT 1 FROM pangolin.namespaces n WHERE n.catalog_id = catalog AND n.levels = row_levels) THEN
      IF cardinality(row_levels) > 1 THEN
        PERFORM pangolin_jdbc.namespace_id(NEW.catalog_name, array_to_string(row_levels[1:cardinality(row_levels) - 1], '.'));
      END IF;
      PERFORM pangolin.create_namespace(catalog, row_levels, '{}');
    END IF;
    IF NEW.property_key <> 'exists' THEN
      PERFORM pangolin.alter_namespace(catalog, row_levels, jsonb_build_object(NEW.property_key, NEW.property_value),
                                       NULL);
    END IF;
    RETURN NEW;
  END IF;
  PERFORM pangolin_jdbc.refuse_ambiguous(OLD.catalog_name, OLD.namespace, NULL, NULL);
  SELECT n.catalog_id, n.levels INTO catalog, row_levels FROM pangolin.namespaces n WHERE n.id = OLD.pangolin_namespace_id;
  IF catalog IS NULL THEN
    -- Gone already: JdbcCatalog deletes a namespace's rows in one statement, its 'exists' row first or last.
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW.property_key IS DISTINCT FROM OLD.property_key OR NEW.namespace IS DISTINCT FROM OLD.namespace
       OR NEW.catalog_name IS DISTINCT FROM OLD.catalog_name OR OLD.property_key = 'exists' THEN
      RAISE EXCEPTION 'Only property values can be updated' USING ERRCODE = 'feature_not_supported';
    END IF;
    PERFORM pangolin.alter_namespace(catalog, row_levels, jsonb_build_object(NEW.property_key, NEW.property_value),
                                     NULL);
    RETURN NEW;
  END IF;
  IF OLD.property_key = 'exists' THEN
    -- Refused by the foreign keys while the namespace still holds tables, views or child namespaces.
    PERFORM pangolin.drop_namespace(catalog, row_levels);
  ELSE
    PERFORM pangolin.alter_namespace(catalog, row_levels, NULL, ARRAY[OLD.property_key]);
  END IF;
  RETURN OLD;
END $$;

CREATE OR REPLACE TRIGGER iceberg_tables_write INSTEAD OF INSERT OR UPDATE OR DELETE ON pangolin_jdbc.iceberg_tables
  FOR EACH ROW EXECUTE FUNCTION pangolin_jdbc.iceberg_tables_write();
CREATE OR REPLACE TRIGGER iceberg_namespace_properties_write
  INSTEAD OF INSERT OR UPDATE OR DELETE ON pangolin_jdbc.iceberg_namespace_properties
  FOR EACH ROW EXECUTE FUNCTION pangolin_jdbc.iceberg_namespace_properties_write();

RESET ROLE;

-- The views take writes (the triggers make them); the tables behind them do not.
GRANT SELECT, INSERT, UPDATE, DELETE ON pangolin_jdbc.iceberg_tables, pangolin_jdbc.iceberg_namespace_properties
  TO pangolin_principal;
GRANT EXECUTE ON FUNCTION
    pangolin_jdbc.table_rows(), pangolin_jdbc.namespace_rows(), pangolin_jdbc.catalog_id(text), pangolin_jdbc.namespace_id(text, text), pangolin_jdbc.has_dotted_level(text[]),
    pangolin_jdbc.refuse_ambiguous(text, text, text, text)
  TO pangolin_principal;
