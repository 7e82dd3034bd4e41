-- Idempotency keys of the REST endpoint (table pangolin_private.idempotency_keys, V17). Keys belong to the acting
-- principal: another principal's use of the same key is another key, and never replays or reveals anything.
--
-- begin answers one row (outcome, status, replay):
--   'started'     the key is new (or its earlier use expired): the caller runs the request, then finishes or forgets;
--   'replay'      the key finished with this route and request: status and replay recipe of the first answer;
--   'in-progress' the key's first request has not finished: the caller answers 409 and asks to retry later;
--   'mismatch'    the key was used with another route or another request body: 422.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.require_idempotency_key(key_id uuid) RETURNS void
  LANGUAGE plpgsql IMMUTABLE
  AS $$
BEGIN
  IF key_id IS NULL THEN
    RAISE EXCEPTION 'Invalid idempotency key: none (a UUID)' USING ERRCODE = 'invalid_parameter_value';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin.idempotency_begin(key_id uuid, on_route text, digest bytea, lifetime interval)
  RETURNS TABLE (outcome text, replay_status integer, replay_body text)
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  who name := acting_principal();
  held record;
BEGIN
  PERFORM require_idempotency_key(key_id);
  PERFORM require_text('idempotency route', on_route, 200);
  IF digest IS NULL OR octet_length(digest) NOT BETWEEN 16 AND 64 THEN
    RAISE EXCEPTION 'Invalid request digest: % bytes (16 to 64)', coalesce(octet_length(digest)::text, 'no')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF lifetime IS NULL OR lifetime < interval '1 second' OR lifetime > interval '1 day' THEN
    RAISE EXCEPTION 'Invalid idempotency key lifetime: % (1 second to 1 day)', coalesce(lifetime::text, 'none')
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- Expired keys count as absent: the principal's own are removed here, so its rows stay few.
  DELETE FROM idempotency_keys k WHERE k.principal = who AND k.expires_at <= now();
  LOOP
    INSERT INTO idempotency_keys AS k (principal, key, route, request_digest, state, expires_at)
    VALUES (who, key_id, on_route, digest, 'in-progress', now() + lifetime)
    ON CONFLICT (principal, key) DO NOTHING;
    IF FOUND THEN
      RETURN QUERY SELECT 'started'::text, NULL::integer, NULL::text;
      RETURN;
    END IF;
    SELECT k.route, k.request_digest, k.state, k.status, k.replay INTO held
    FROM idempotency_keys k WHERE k.principal = who AND k.key = key_id;
    -- Absent again when its holder forgot it in between: try the insert once more.
    IF FOUND THEN
      EXIT;
    END IF;
  END LOOP;
  IF held.route <> on_route OR held.request_digest <> digest THEN
    RETURN QUERY SELECT 'mismatch'::text, NULL::integer, NULL::text;
  ELSIF held.state = 'done' THEN
    RETURN QUERY SELECT 'replay'::text, held.status, held.replay;
  ELSE
    RETURN QUERY SELECT 'in-progress'::text, NULL::integer, NULL::text;
  END IF;
END $$;

-- Records the answer to repeat for the acting principal's key: 2xx, or a 4xx that the same request would get
-- again (5xx answers are not kept: forget the key instead). 1 recorded, 0 no such key in progress.
CREATE OR REPLACE FUNCTION pangolin.idempotency_finish(key_id uuid, answer_status integer, answer_replay text)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  recorded integer;
BEGIN
  PERFORM require_idempotency_key(key_id);
  IF answer_status IS NULL OR answer_status NOT BETWEEN 200 AND 499 THEN
    RAISE EXCEPTION 'Invalid idempotent answer status: % (200 to 499)', coalesce(answer_status::text, 'none')
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'An answer that must not be repeated (5xx) is not recorded: forget the key instead.';
  END IF;
  IF answer_replay IS NOT NULL THEN
    PERFORM require_text('idempotent answer replay', answer_replay, 16384);
  END IF;
  UPDATE idempotency_keys k SET state = 'done', status = answer_status, replay = answer_replay
  WHERE k.principal = acting_principal() AND k.key = key_id AND k.state = 'in-progress';
  GET DIAGNOSTICS recorded = ROW_COUNT;
  RETURN recorded;
END $$;

-- Forgets the acting principal's key, so that the next request with it runs again: 1 forgotten, 0 none.
CREATE OR REPLACE FUNCTION pangolin.idempotency_forget(key_id uuid) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  forgotten integer;
BEGIN
  PERFORM require_idempotency_key(key_id);
  DELETE FROM idempotency_keys k WHERE k.principal = acting_principal() AND k.key = key_id;
  GET DIAGNOSTICS forgotten = ROW_COUNT;
  RETURN forgotten;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION
    pangolin.idempotency_begin(uuid, text, bytea, interval), pangolin.idempotency_finish(uuid, integer, text),
    pangolin.idempotency_forget(uuid)
  TO pangolin_principal;
