-- Staged creates through pangolin serve (issue 21): a REST client that stages a table (CTAS, a create
-- transaction) writes its files before the table's pointer exists, at the location the endpoint chose or the
-- client asked for. pangolin.stage_table_location (R__72) records it for the principal that staged it, for an hour,
-- and pangolin.sign_check signs that principal's requests under it. Table only; the rules are in R__72.
CREATE TABLE pangolin_private.staged_locations (
  principal  name NOT NULL,
  catalog_id bigint NOT NULL REFERENCES pangolin.catalogs (id) ON DELETE CASCADE,
  ns_levels  text[] NOT NULL,
  rel_name   text NOT NULL,
  location   text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (principal, catalog_id, ns_levels, rel_name, location)
);
CREATE INDEX staged_locations_expiry ON pangolin_private.staged_locations (expires_at);
ALTER TABLE pangolin_private.staged_locations OWNER TO pangolin_owner;
REVOKE ALL ON pangolin_private.staged_locations FROM PUBLIC;
