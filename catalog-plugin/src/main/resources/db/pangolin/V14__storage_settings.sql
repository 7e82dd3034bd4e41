-- Platform-wide storage settings: one row, read by every principal, changed only through
-- pangolin.set_file_root_prefix (R__45), which platform administrators and superusers may call.
--
-- file_root_prefix: the only place warehouses may keep file: roots and allowed locations. NULL (the default) means
--   no new file: location at all: a file: location names a path on every engine host's own file system, which only
--   whoever runs the platform can vouch for, so it is the platform's decision and no tenant's.
-- storage_generation: bumped by every change of a warehouse's root or allowed locations and of the prefix, under the
--   row's lock, so that two tenants can never add overlapping storage at the same time (READ COMMITTED waits for the
--   other writer and then sees its row; REPEATABLE READ and SERIALIZABLE fail with 40001 instead).
CREATE TABLE platform_settings (
  singleton          boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  file_root_prefix   text CHECK (file_root_prefix ~ '^file:/'),
  storage_generation bigint NOT NULL DEFAULT 0,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         name NOT NULL DEFAULT session_user
);
INSERT INTO platform_settings DEFAULT VALUES;
ALTER TABLE platform_settings OWNER TO pangolin_owner;
REVOKE ALL ON platform_settings FROM PUBLIC;
GRANT SELECT ON platform_settings TO pangolin_principal, pangolin_platform_admin;
