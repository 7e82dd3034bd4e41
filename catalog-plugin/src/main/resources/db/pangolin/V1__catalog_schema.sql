-- Pangolin's catalog state. Table state (metadata.json, manifests, data) lives in each warehouse's storage;
-- this schema only holds the pointer to the current metadata.json of each table and view.
-- The constraints are the last line of defence: whatever the plugin or an operator with raw SQL does,
-- the database itself refuses rows that must never exist.

CREATE DOMAIN object_name AS text
  CHECK (VALUE ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$');

CREATE TABLE tenants (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name       object_name NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE warehouses (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id         bigint NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  name              object_name NOT NULL,
  storage_root      text NOT NULL CHECK (storage_root ~ '^(s3|s3a|s3n|file):/'),
  -- Locations outside the root that tables of this warehouse may still use (each a prefix).
  allowed_locations text[] NOT NULL DEFAULT '{}',
  -- Storage settings: endpoint, region, path-style-access, checksum-mode, and extra FileIO properties.
  settings          jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(settings) = 'object'),
  -- 'static': this row's keys. 'engine-identity': the engine's own default credential chain, by explicit
  -- choice. 'none': local file storage only. Assume-role will be another type with its own columns.
  credential_type   text NOT NULL CHECK (credential_type IN ('static', 'engine-identity', 'none')),
  access_key_id     text,
  secret_access_key text,
  -- Bumped on every change so that running catalogs rebuild this warehouse's FileIO.
  config_version    bigint NOT NULL DEFAULT 1,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (id, tenant_id),
  CONSTRAINT static_credentials_complete CHECK (
    credential_type <> 'static' OR (access_key_id IS NOT NULL AND secret_access_key IS NOT NULL)),
  CONSTRAINT only_static_has_keys CHECK (
    credential_type = 'static' OR (access_key_id IS NULL AND secret_access_key IS NULL)),
  CONSTRAINT none_only_for_files CHECK (
    credential_type <> 'none' OR storage_root LIKE 'file:%')
);

CREATE TABLE catalogs (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id    bigint NOT NULL REFERENCES tenants (id) ON DELETE RESTRICT,
  name         object_name NOT NULL,
  warehouse_id bigint NOT NULL,
  -- The catalog_name under which Iceberg JDBC-catalog readers (Trino, PyIceberg, JdbcCatalog) see it.
  jdbc_name    object_name NOT NULL UNIQUE,
  properties   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name),
  UNIQUE (id, tenant_id),
  -- A catalog can only use a warehouse of its own tenant.
  FOREIGN KEY (warehouse_id, tenant_id) REFERENCES warehouses (id, tenant_id) ON DELETE RESTRICT
);

CREATE TABLE namespaces (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  catalog_id bigint NOT NULL REFERENCES catalogs (id) ON DELETE RESTRICT,
  -- NULL for a top-level namespace. RESTRICT makes the database refuse to drop a namespace with children.
  parent_id  bigint REFERENCES namespaces (id) ON DELETE RESTRICT,
  levels     text[] NOT NULL CHECK (cardinality(levels) >= 1 AND array_position(levels, NULL) IS NULL
                                    AND array_position(levels, '') IS NULL),
  properties jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(properties) = 'object'),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (catalog_id, levels),
  CONSTRAINT parent_iff_nested CHECK ((parent_id IS NULL) = (cardinality(levels) = 1))
);
CREATE INDEX namespaces_by_parent ON namespaces (catalog_id, parent_id);

-- Tables and views share one name space per namespace, so a view can never shadow a table.
CREATE TABLE relations (
  id                         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  namespace_id               bigint NOT NULL REFERENCES namespaces (id) ON DELETE RESTRICT,
  name                       text NOT NULL CHECK (name <> ''),
  kind                       text NOT NULL CHECK (kind IN ('TABLE', 'VIEW')),
  metadata_location          text NOT NULL,
  previous_metadata_location text,
  created_at                 timestamptz NOT NULL DEFAULT now(),
  updated_at                 timestamptz NOT NULL DEFAULT now(),
  UNIQUE (namespace_id, name)
);
