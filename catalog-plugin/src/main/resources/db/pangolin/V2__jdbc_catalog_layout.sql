-- The layout Iceberg's JDBC catalog reads and writes (schema "V1" of org.apache.iceberg.jdbc.JdbcCatalog),
-- as views over Pangolin's own tables, in a schema of its own. Trino (iceberg.catalog.type=jdbc), PyIceberg's
-- SQL catalog and JdbcCatalog itself point their connection at it with currentSchema=pangolin_jdbc.
-- Writes through the views are routed by INSTEAD OF triggers into Pangolin's tables, and a commit keeps its
-- compare-and-swap: the pointer only moves if it still holds the location the writer read.
-- Namespace levels are joined with '.', as the JDBC catalog does; see the README for names containing dots.

CREATE SCHEMA IF NOT EXISTS pangolin_jdbc;

CREATE VIEW pangolin_jdbc.iceberg_tables AS
SELECT c.jdbc_name::varchar(255)                     AS catalog_name,
       array_to_string(n.levels, '.')::varchar(255)  AS table_namespace,
       r.name::varchar(255)                          AS table_name,
       r.metadata_location::varchar(1000)            AS metadata_location,
       r.previous_metadata_location::varchar(1000)   AS previous_metadata_location,
       r.kind::varchar(5)                            AS iceberg_type,
       r.id                                          AS pangolin_relation_id
FROM pangolin.relations r
JOIN pangolin.namespaces n ON n.id = r.namespace_id
JOIN pangolin.catalogs c ON c.id = n.catalog_id;

CREATE VIEW pangolin_jdbc.iceberg_namespace_properties AS
SELECT c.jdbc_name::varchar(255)                    AS catalog_name,
       array_to_string(n.levels, '.')::varchar(255) AS namespace,
       'exists'::varchar(255)                       AS property_key,
       'true'::varchar(1000)                        AS property_value,
       n.id                                         AS pangolin_namespace_id
FROM pangolin.namespaces n
JOIN pangolin.catalogs c ON c.id = n.catalog_id
UNION ALL
SELECT c.jdbc_name, array_to_string(n.levels, '.'), p.key, p.value, n.id
FROM pangolin.namespaces n
JOIN pangolin.catalogs c ON c.id = n.catalog_id
CROSS JOIN LATERAL jsonb_each_text(n.properties) p
WHERE p.key <> 'exists';

-- Resolves a JDBC-catalog namespace string to Pangolin's namespace row. The string is split on '.', which is
-- the only reading a JDBC-catalog client can mean.
CREATE FUNCTION pangolin_jdbc.namespace_id(jdbc_catalog text, namespace_string text) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  found_id bigint;
BEGIN
  SELECT n.id INTO found_id
  FROM pangolin.namespaces n JOIN pangolin.catalogs c ON c.id = n.catalog_id
  WHERE c.jdbc_name = jdbc_catalog AND n.levels = string_to_array(namespace_string, '.');
  IF found_id IS NULL THEN
    RAISE EXCEPTION 'Namespace "%" does not exist in catalog "%"', namespace_string, jdbc_catalog
      USING ERRCODE = 'foreign_key_violation',
            HINT = 'Create the namespace first (CREATE NAMESPACE / CREATE SCHEMA).';
  END IF;
  RETURN found_id;
END $$;

CREATE FUNCTION pangolin_jdbc.iceberg_tables_write() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO pangolin.relations (namespace_id, name, kind, metadata_location, previous_metadata_location)
    VALUES (pangolin_jdbc.namespace_id(NEW.catalog_name, NEW.table_namespace), NEW.table_name,
            coalesce(NEW.iceberg_type, 'TABLE'), NEW.metadata_location, NEW.previous_metadata_location);
    RETURN NEW;
  ELSIF TG_OP = 'DELETE' THEN
    DELETE FROM pangolin.relations WHERE id = OLD.pangolin_relation_id;
    RETURN CASE WHEN FOUND THEN OLD END;
  END IF;

  IF NEW.catalog_name IS DISTINCT FROM OLD.catalog_name OR NEW.iceberg_type IS DISTINCT FROM OLD.iceberg_type THEN
    RAISE EXCEPTION 'Cannot move % "%" to another catalog or change its type', OLD.iceberg_type, OLD.table_name
      USING ERRCODE = 'feature_not_supported';
  END IF;
  IF NEW.table_namespace IS DISTINCT FROM OLD.table_namespace OR NEW.table_name IS DISTINCT FROM OLD.table_name THEN
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

CREATE TRIGGER iceberg_tables_write INSTEAD OF INSERT OR UPDATE OR DELETE ON pangolin_jdbc.iceberg_tables
FOR EACH ROW EXECUTE FUNCTION pangolin_jdbc.iceberg_tables_write();

-- A JDBC-catalog client creates a namespace by inserting its property rows (one of them 'exists'), in any order;
-- the first row of a namespace that does not exist yet creates it. Its parent must exist, as in Pangolin.
CREATE FUNCTION pangolin_jdbc.ensure_namespace(jdbc_catalog text, namespace_string text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  new_levels text[] := string_to_array(namespace_string, '.');
  catalog bigint;
  found_id bigint;
BEGIN
  SELECT id INTO catalog FROM pangolin.catalogs WHERE jdbc_name = jdbc_catalog;
  IF catalog IS NULL THEN
    RAISE EXCEPTION 'Catalog "%" does not exist', jdbc_catalog USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT id INTO found_id FROM pangolin.namespaces WHERE catalog_id = catalog AND levels = new_levels;
  IF found_id IS NULL THEN
    INSERT INTO pangolin.namespaces (catalog_id, parent_id, levels)
    VALUES (catalog,
            CASE WHEN cardinality(new_levels) > 1
                 THEN pangolin_jdbc.namespace_id(jdbc_catalog,
                                                 array_to_string(new_levels[1:cardinality(new_levels) - 1], '.'))
            END,
            new_levels)
    RETURNING id INTO found_id;
  END IF;
  RETURN found_id;
END $$;

CREATE FUNCTION pangolin_jdbc.iceberg_namespace_properties_write() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  target bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    target := pangolin_jdbc.ensure_namespace(NEW.catalog_name, NEW.namespace);
    IF NEW.property_key <> 'exists' THEN
      UPDATE pangolin.namespaces
      SET properties = properties || jsonb_build_object(NEW.property_key, NEW.property_value)
      WHERE id = target;
    END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
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

CREATE TRIGGER iceberg_namespace_properties_write
INSTEAD OF INSERT OR UPDATE OR DELETE ON pangolin_jdbc.iceberg_namespace_properties
FOR EACH ROW EXECUTE FUNCTION pangolin_jdbc.iceberg_namespace_properties_write();
