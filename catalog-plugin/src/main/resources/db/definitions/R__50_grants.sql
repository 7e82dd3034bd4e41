-- Grants change only through these two functions, which require MANAGE_GRANTS on the object granted on.
SET ROLE pangolin_owner;

CREATE OR REPLACE FUNCTION pangolin_private.require_grant_target(grantee name, privilege text, catalog bigint,
                                                                 namespace bigint, relation bigint) RETURNS void
  LANGUAGE plpgsql STABLE
  AS $$
BEGIN
  PERFORM pangolin_private.require_text('grantee', grantee, 63);
  PERFORM pangolin_private.require_text('privilege', privilege, 20);
  IF catalog IS NULL OR NOT pangolin_private.holds('MANAGE_GRANTS', catalog, namespace, relation) THEN
    PERFORM pangolin_private.refuse('MANAGE_GRANTS',
      CASE WHEN relation IS NOT NULL THEN 'relation id ' || relation
           WHEN namespace IS NOT NULL THEN 'namespace id ' || namespace
           ELSE 'catalog id ' || coalesce(catalog::text, 'none') END);
  END IF;
  -- The ids must name one object: a namespace of that catalog, a relation in that namespace.
  IF namespace IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pangolin.namespaces n
                                           WHERE n.id = namespace AND n.catalog_id = catalog)
     OR relation IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pangolin.relations r
                                             WHERE r.id = relation AND r.namespace_id IS NOT DISTINCT FROM namespace)
  THEN
    RAISE EXCEPTION 'The namespace or relation does not belong to catalog id %', catalog
      USING ERRCODE = 'foreign_key_violation';
  END IF;
END $$;

CREATE OR REPLACE FUNCTION pangolin.grant_privilege(grantee name, privilege text, catalog bigint,
                                                    namespace bigint DEFAULT NULL, relation bigint DEFAULT NULL)
  RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  new_id bigint;
BEGIN
  PERFORM require_grant_target(grantee, privilege, catalog, namespace, relation);
  IF NOT EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = grantee) THEN
    RAISE EXCEPTION 'Role "%" does not exist', grantee USING ERRCODE = 'undefined_object',
      HINT = 'Create the principal first (pangolin principal create NAME).';
  END IF;
  INSERT INTO grants (catalog_id, namespace_id, relation_id, grantee, privilege)
  VALUES (catalog, namespace, relation, grantee, privilege)
  ON CONFLICT DO NOTHING
  RETURNING id INTO new_id;
  RETURN new_id;
END $$;

CREATE OR REPLACE FUNCTION pangolin.revoke_privilege(grantee name, privilege text, catalog bigint,
                                                     namespace bigint DEFAULT NULL, relation bigint DEFAULT NULL)
  RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pangolin, pangolin_private, pg_temp
  AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM require_grant_target(grantee, privilege, catalog, namespace, relation);
  DELETE FROM grants g
  WHERE g.catalog_id = catalog AND g.namespace_id IS NOT DISTINCT FROM namespace
    AND g.relation_id IS NOT DISTINCT FROM relation AND g.grantee = revoke_privilege.grantee
    AND g.privilege = revoke_privilege.privilege;
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END $$;

RESET ROLE;

GRANT EXECUTE ON FUNCTION pangolin.grant_privilege(name, text, bigint, bigint, bigint),
                          pangolin.revoke_privilege(name, text, bigint, bigint, bigint)
  TO pangolin_principal;
