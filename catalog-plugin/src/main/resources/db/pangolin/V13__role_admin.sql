-- Principals are made by one role, not by platform administrators. Until now a platform administrator was a login
-- with CREATEROLE: before PostgreSQL 16 that let it grant itself pangolin_owner or any tenant administrator's role
-- and reset any principal's password, and on every version it could create a role, name it a tenant's
-- administrator and grant it to itself. From here on pangolin_role_admin (NOLOGIN, CREATEROLE) is the only role
-- with CREATEROLE; it owns the SECURITY DEFINER functions of R__15_roles.sql, which are the one way a platform
-- administrator makes, adopts, groups, bounds and drops principals, each with an audit row. Nobody logs in as it
-- and nobody is granted it. Runs as a superuser (as every migration does): roles and their grants are cluster-wide,
-- so each statement is written to be run again by another database's migration.

-- 1. The role.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pangolin_role_admin') THEN
    BEGIN
      CREATE ROLE pangolin_role_admin NOLOGIN;
    EXCEPTION WHEN duplicate_object THEN
      NULL; -- another database's migration created it first
    END;
  END IF;
END $$;
-- NOINHERIT: before PostgreSQL 16 its ADMIN OPTION on pangolin_principal also makes it a member; it must not use
-- a principal's rights.
ALTER ROLE pangolin_role_admin NOLOGIN CREATEROLE NOINHERIT NOSUPERUSER NOBYPASSRLS NOREPLICATION NOCREATEDB;

-- 2. What its functions need: to create them in pangolin (their API) and pangolin_private (their helpers), to put
--    the roles they make into pangolin_principal, and to set temp_file_limit, a superuser-only parameter, on them.
GRANT USAGE, CREATE ON SCHEMA pangolin, pangolin_private TO pangolin_role_admin;
ALTER DEFAULT PRIVILEGES FOR ROLE pangolin_role_admin REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT SET ON PARAMETER temp_file_limit TO pangolin_role_admin;
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 160000 THEN
    -- From 16 ADMIN OPTION can come without the role's rights.
    EXECUTE 'GRANT pangolin_principal TO pangolin_role_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE';
  ELSE
    EXECUTE 'GRANT pangolin_principal TO pangolin_role_admin WITH ADMIN OPTION';
  END IF;
END $$;

-- 3. Platform administrators made by the old code path lose CREATEROLE, and every ADMIN OPTION they hold (on
--    pangolin_principal, and from PostgreSQL 16 on each role they created, which let them grant those roles to
--    anyone, themselves included, even without CREATEROLE), and any membership in Pangolin's own roles or in a
--    role that administers a tenant of this database. From 16 the roles they granted to others stay granted: each
--    such grant is made again by pangolin_role_admin (which from then on administers every principal) before theirs
--    is revoked.
DO $$
DECLARE
  modern boolean := current_setting('server_version_num')::int >= 160000;
  a record;
  m record;
BEGIN
  FOR a IN SELECT r.rolname FROM pg_roles r
           WHERE pg_has_role(r.oid, 'pangolin_platform_admin', 'MEMBER') AND r.rolname <> 'pangolin_platform_admin'
             AND NOT r.rolsuper AND r.rolcreaterole LOOP
    EXECUTE format('ALTER ROLE %I NOCREATEROLE', a.rolname);
    RAISE NOTICE 'Platform administrator % no longer has CREATEROLE: it manages principals through the functions'
                 ' of pangolin_role_admin', a.rolname;
  END LOOP;
  IF modern THEN
    -- pangolin_role_admin administers every principal that is not Pangolin's own or a platform administrator.
    FOR m IN SELECT r.rolname FROM pg_auth_members x JOIN pg_roles r ON r.oid = x.member
             WHERE x.roleid = 'pangolin_principal'::regrole AND NOT r.rolsuper
               AND r.rolname NOT IN ('pangolin_owner', 'pangolin_role_admin', 'pangolin_platform_admin')
               AND NOT pg_has_role(r.oid, 'pangolin_platform_admin', 'MEMBER')
               AND NOT pg_has_role(r.oid, 'pangolin_owner', 'MEMBER')
               AND NOT EXISTS (SELECT 1 FROM pg_auth_members y
                               WHERE y.roleid = r.oid AND y.member = 'pangolin_role_admin'::regrole
                                 AND y.admin_option) LOOP
      EXECUTE format('GRANT %I TO pangolin_role_admin WITH ADMIN OPTION, INHERIT FALSE, SET FALSE', m.rolname);
    END LOOP;
    -- Grants a platform administrator made, made again by pangolin_role_admin where it may.
    FOR m IN SELECT g.rolname AS granted, u.rolname AS grantee, x.admin_option, x.inherit_option, x.set_option
             FROM pg_auth_members x JOIN pg_roles g ON g.oid = x.roleid JOIN pg_roles u ON u.oid = x.member
             JOIN pg_roles b ON b.oid = x.grantor
             WHERE pg_has_role(b.oid, 'pangolin_platform_admin', 'MEMBER') AND NOT b.rolsuper
               AND b.rolname <> 'pangolin_platform_admin'
               AND NOT pg_has_role(u.oid, 'pangolin_platform_admin', 'MEMBER')
               AND EXISTS (SELECT 1 FROM pg_auth_members y
                           WHERE y.roleid = x.roleid AND y.member = 'pangolin_role_admin'::regrole AND y.admin_option)
               AND NOT EXISTS (SELECT 1 FROM pg_auth_members z
                               WHERE z.roleid = x.roleid AND z.member = x.member
                                 AND z.grantor = 'pangolin_role_admin'::regrole) LOOP
      EXECUTE format('GRANT %I TO %I WITH ADMIN %s, INHERIT %s, SET %s GRANTED BY pangolin_role_admin',
                     m.granted, m.grantee, upper(m.admin_option::text), upper(m.inherit_option::text),
                     upper(m.set_option::text));
    END LOOP;
  END IF;
  FOR m IN SELECT g.rolname AS granted, u.rolname AS grantee, b.rolname AS grantor, x.admin_option
           FROM pg_auth_members x JOIN pg_roles g ON g.oid = x.roleid JOIN pg_roles u ON u.oid = x.member
           JOIN pg_roles b ON b.oid = x.grantor
           WHERE pg_has_role(u.oid, 'pangolin_platform_admin', 'MEMBER') AND NOT u.rolsuper
             AND u.rolname <> 'pangolin_platform_admin' AND g.rolname <> 'pangolin_platform_admin'
             AND (x.admin_option
                  OR g.rolname IN ('pangolin_owner', 'pangolin_role_admin', 'pangolin_principal')
                  OR EXISTS (SELECT 1 FROM pangolin.tenant_admins t WHERE t.role_name = g.rolname)) LOOP
    IF modern THEN
      EXECUTE format('REVOKE %I FROM %I GRANTED BY %I CASCADE', m.granted, m.grantee, m.grantor);
    ELSE
      EXECUTE format('REVOKE %I FROM %I CASCADE', m.granted, m.grantee);
    END IF;
    RAISE NOTICE 'Platform administrator % is no longer a member of % (granted by %, admin option %)', m.grantee,
                 m.granted, m.grantor, m.admin_option;
  END LOOP;
END $$;
