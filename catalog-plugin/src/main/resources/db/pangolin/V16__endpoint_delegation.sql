-- pangolin serve (issue 21) acts for principals. Roles and tables only; the functions that use them are in
-- R__10_principals.sql (who is acting) and R__16_tokens.sql (tokens and acting for one).
--
-- 1. The endpoint's role. A login that is a member of it is nobody by itself: every decision asks
--    pangolin.acting_principal(), which for such a login answers the principal it currently acts for (set by
--    pangolin.act_as with a token that principal's own session minted), and refuses when it acts for no one.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pangolin_endpoint') THEN
    BEGIN
      CREATE ROLE pangolin_endpoint NOLOGIN;
    EXCEPTION WHEN duplicate_object THEN
      NULL; -- another database's migration created it first
    END;
  END IF;
END $$;
ALTER ROLE pangolin_endpoint NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION;
-- It holds what a principal holds (reads narrowed by row-level security, the documented functions), so that what
-- it does for a principal is decided exactly as for that principal's own login.
GRANT pangolin_principal TO pangolin_endpoint;

-- 2. Tokens: only the SHA-256 of each is kept, with the principal whose own session minted it (after PostgreSQL
--    checked that principal's password), when it expires, and when the password was checked (a chain of exchanged
--    tokens ends a fixed time after it).
CREATE TABLE pangolin_private.tokens (
  digest           bytea PRIMARY KEY CHECK (length(digest) = 32),
  principal        name NOT NULL,
  issued_at        timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  authenticated_at timestamptz NOT NULL,
  CHECK (expires_at > issued_at)
);
CREATE INDEX tokens_principal ON pangolin_private.tokens (principal);
CREATE INDEX tokens_expiry ON pangolin_private.tokens (expires_at);
ALTER TABLE pangolin_private.tokens OWNER TO pangolin_owner;
REVOKE ALL ON pangolin_private.tokens FROM PUBLIC;

-- 3. pangolin.act_as keeps the principal a session acts for in a temporary table that it creates as the owner
--    (so nobody else can write, replace or re-own it); V12 took TEMPORARY from PUBLIC, so the owner needs it.
DO $$
BEGIN
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO pangolin_owner', current_database());
END $$;
