-- Tokens for pangolin serve (issue 21), and acting for the principal a token stands for. A token is minted only
-- by the principal's own session (the endpoint opens one with the client's secret, so PostgreSQL checks the
-- password, pg_hba, VALID UNTIL and connection limits; a plugin engine's session mints one without any password);
-- only its SHA-256 is kept. The endpoint's login then acts for that principal per connection checkout:
-- pangolin.act_as records the principal in a temporary table the owner creates, pangolin.acting_principal (R__10)
-- answers it, pangolin.stop_acting clears it. The row lives in the session, so the endpoint must reach PostgreSQL
-- directly or through a pooler in session mode, never in transaction mode.
SET ROLE pangolin_owner;

-- Whether a role may hold a token: a login principal that is not a superuser, does not bypass row-level security,
-- is not pangolin serve's login and is not one of Pangolin's own roles or a platform administrator.
CREATE OR REPLACE FUNCTION pangolin_private.may_hold_token(role_name name) RETURNS boolean
  LANGUAGE sql STABLE
  AS $$
  SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_roles r
                 WHERE r.rolname OPERATOR(pg_catalog.=) role_name AND r.rolcanlogin
                   AND NOT r.rolsuper AND NOT r.rolbypassrls
                   AND (r.rolvaliduntil IS NULL OR r.rolvaliduntil OPERATOR(pg_catalog.>) pg_catalog.now())
                   AND pg_catalog.pg_has_role(r.oid, 'pangolin_principal', 'MEMBER')
                   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles s
                                   WHERE s.rolname OPERATOR(pg_catalog.=) ANY (ARRAY['pangolin_owner',
                                           'pangolin_role_admin', 'pangolin_platform_admin',
                                           'pangolin_endpoint']::name[])
                                     AND pg_catalog.pg_has_role(r.oid, s.oid, 'MEMBER')))
$$;

CREATE OR REPLACE FUNCTION pangolin_private.require_token_lifetime(lifetime interval) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF lifetime IS NULL OR lifetime < interval '1 minute' OR lifetime > interval '1 hour' THEN
    RAISE EXCEPTION 'Invalid token lifetime %: 1 minute to 1 hour', coalesce(lifetime::text, 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

-- A new token for a principal: 64 hex digits from two random UUIDs (244 random bits); stores its digest.
CREATE OR REPLACE FUNCTION pangolin_private.new_token(principal name, lifetime interval, authenticated timestamptz)
  RETURNS TABLE (token text, expires_at timestamptz)
  LANGUAGE plpgsql
  AS $$
DECLARE
  minted text := 'pgt_' || pg_catalog.replace(pg_catalog.gen_random_uuid()::text
                                              || pg_catalog.gen_random_uuid()::text, '-', '');
  expiry timestamptz := least(pg_catalog.now() + lifetime, authenticated + interval '12 hours');
BEGIN
  IF expiry <= pg_catalog.now() THEN
    RAISE EXCEPTION 'The token of % was exchanged for 12 hours since its password was checked; sign in again',
      principal USING ERRCODE = 'invalid_authorization_specification';
  END IF;
  DELETE FROM pangolin_private.tokens t WHERE t.expires_at < pg_catalog.now() - interval '1 hour';
  INSERT INTO pangolin_private.tokens (digest, principal, expires_at, authenticated_at)
  VALUES (pg_catalog.sha256(pg_catalog.convert_to(minted, 'UTF8')), principal, expiry, authenticated);
  RETURN QUERY SELECT minted, expiry;
END $$;

-- The principal a token stands for while it is valid, else a refusal that shows nothing of the token.
CREATE OR REPLACE FUNCTION pangolin_private.token_principal(token text) RETURNS pangolin_private.tokens
  LANGUAGE plpgsql STABLE
  AS $$
DECLARE
  found pangolin_private.tokens;
BEGIN
  IF token IS NOT NULL AND pg_catalog.length(token) <= 200 THEN
    SELECT t.* INTO found FROM pangolin_private.tokens t
    WHERE t.digest = pg_catalog.sha256(pg_catalog.convert_to(token, 'UTF8')) AND t.expires_at > pg_catalog.now();
  END IF;
  IF found.principal IS NULL OR NOT pangolin_private.may_hold_token(found.principal) THEN
    RAISE EXCEPTION 'The token is not valid: it is unknown, expired or revoked, or its principal may no longer'
                    ' sign in' USING ERRCODE = 'invalid_authorization_specification',
                    HINT = 'Get a new token with the principal''s credentials.';
  END IF;
  RETURN found;
END $$;

-- Called in the principal's own session: a token for that principal, valid for the given time (at most an hour).
CREATE OR REPLACE FUNCTION pangolin.issue_token(lifetime interval DEFAULT interval '1 hour')
  RETURNS TABLE (token text, expires_at timestamptz)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  PERFORM require_token_lifetime(lifetime);
  IF NOT may_hold_token(session_user) THEN
    RAISE EXCEPTION 'permission denied: % may not hold a token: only a login principal that is not a superuser,'
                    ' a platform administrator, one of Pangolin''s own roles or pangolin serve''s login may',
                    session_user USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN QUERY SELECT * FROM new_token(session_user, lifetime, pg_catalog.now());
END $$;

-- pangolin serve's refresh: a new token for the principal a valid token stands for; a chain of exchanges ends 12
-- hours after the password was checked.
CREATE OR REPLACE FUNCTION pangolin.exchange_token(subject text, lifetime interval DEFAULT interval '1 hour')
  RETURNS TABLE (token text, expires_at timestamptz)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  held pangolin_private.tokens;
BEGIN
  PERFORM require_token_lifetime(lifetime);
  held := token_principal(subject);
  RETURN QUERY SELECT * FROM new_token(held.principal, lifetime, held.authenticated_at);
END $$;

-- The acting principal's tokens end now (every endpoint stops honouring them at its next request).
CREATE OR REPLACE FUNCTION pangolin.revoke_tokens() RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  revoked integer;
BEGIN
  DELETE FROM pangolin_private.tokens t WHERE t.principal = acting_principal();
  GET DIAGNOSTICS revoked = ROW_COUNT;
  RETURN revoked;
END $$;

-- pangolin serve's login acts for the principal the token stands for, until stop_acting or the next act_as;
-- a token that is not valid leaves it acting for no one.
CREATE OR REPLACE FUNCTION pangolin.act_as(token text) RETURNS name
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  held pangolin_private.tokens;
BEGIN
  IF NOT pg_has_role(session_user, 'pangolin_endpoint', 'MEMBER') THEN
    RAISE EXCEPTION 'permission denied: % is not a login of pangolin serve', session_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  CREATE TEMPORARY TABLE IF NOT EXISTS pangolin_acting (principal name NOT NULL);
  IF (SELECT c.relowner FROM pg_class c WHERE c.oid = 'pg_temp.pangolin_acting'::regclass)
     <> 'pangolin_owner'::regrole THEN
    RAISE EXCEPTION 'permission denied: the session holds a pangolin_acting table that Pangolin did not create'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  DELETE FROM pg_temp.pangolin_acting;
  held := token_principal(token);
  INSERT INTO pg_temp.pangolin_acting (principal) VALUES (held.principal);
  RETURN held.principal;
END $$;

CREATE OR REPLACE FUNCTION pangolin.stop_acting() RETURNS void
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
BEGIN
  IF to_regclass('pg_temp.pangolin_acting') IS NOT NULL THEN
    DELETE FROM pg_temp.pangolin_acting;
  END IF;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.issue_token(interval), pangolin.revoke_tokens() TO pangolin_principal;
GRANT EXECUTE ON FUNCTION pangolin.exchange_token(text, interval), pangolin.act_as(text), pangolin.stop_acting()
  TO pangolin_endpoint;
