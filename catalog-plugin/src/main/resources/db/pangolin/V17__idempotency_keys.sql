-- Idempotency keys of the REST endpoint (Idempotency-Key, per the Iceberg REST spec): one row per principal and key,
-- recording the route and a digest of the request the key was first used with, and, once the request has finished
-- with a result worth repeating, its status and a replay recipe (an error body, or what to load again), never whole
-- metadata. Written and read only by the definer functions of R__95_idempotency.sql, as the acting principal: no
-- principal reads another's keys, or even its own, except through them.
--
-- state: 'in-progress' from begin until finish; 'done' with status and replay after it.
-- expires_at: from then on the row counts as absent; begin replaces it, and removes the principal's expired rows.
CREATE TABLE pangolin_private.idempotency_keys (
  principal      name NOT NULL,
  key            uuid NOT NULL,
  route          text NOT NULL CHECK (length(route) BETWEEN 1 AND 200),
  request_digest bytea NOT NULL CHECK (octet_length(request_digest) BETWEEN 16 AND 64),
  state          text NOT NULL CHECK (state IN ('in-progress', 'done')),
  status         integer CHECK (status BETWEEN 200 AND 499),
  replay         text CHECK (length(replay) <= 16384),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  PRIMARY KEY (principal, key),
  CONSTRAINT idempotency_keys_done_has_status CHECK ((state = 'done') = (status IS NOT NULL))
);
CREATE INDEX idempotency_keys_expiry ON pangolin_private.idempotency_keys (principal, expires_at);
ALTER TABLE pangolin_private.idempotency_keys OWNER TO pangolin_owner;
REVOKE ALL ON pangolin_private.idempotency_keys FROM PUBLIC;
-- Defence in depth beside the private schema: without a policy, no role but the owner sees a row.
ALTER TABLE pangolin_private.idempotency_keys ENABLE ROW LEVEL SECURITY;
