package io.pangolin.boundary;

import static io.pangolin.boundary.BoundaryDatabases.PLATFORM_ADMIN;
import static io.pangolin.boundary.BoundaryDatabases.PRINCIPAL;
import static io.pangolin.boundary.BoundaryDatabases.SCHEMAS;
import static io.pangolin.boundary.BoundaryDatabases.execute;
import static io.pangolin.boundary.BoundaryDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.pangolin.testing.TestPostgres;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The database boundary as PostgreSQL's own catalogs record it on a freshly migrated database. Each check is one
 * query helper that names every object breaking its rule; each test then plants violations inside a transaction
 * it rolls back and shows that the same helper reports them, because a check that cannot fail proves nothing.
 */
class BoundaryCatalogTest {

  /** What R__10 grants to every principal and platform administrator: the functions the read policies call. */
  private static final Set<String> READ_API = Set.of(
      "pangolin.acting_principal()", "pangolin.delegated_principal()", "pangolin.is_member(name)", "pangolin.may(text, bigint, bigint, bigint)",
      "pangolin.is_tenant_admin(bigint)", "pangolin.sees(bigint, bigint, bigint)",
      "pangolin.levels_within(text[], text[])", "pangolin.sees_tenant(bigint)",
      "pangolin.sees_warehouse(bigint, bigint)", "pangolin.catalogs_seen_whole()", "pangolin.namespaces_seen_whole()",
      "pangolin.namespaces_seen_in_part()", "pangolin.relation_namespaces_seen()", "pangolin.relations_granted()",
      "pangolin.sees_dropped(bigint, text[])", "pangolin.sees_ref_relation(bigint, text[], text)");

  /** R__15, R__40 and R__45: the platform administrator's functions. */
  private static final Set<String> PLATFORM_API = Set.of(
      // R__15 principals, owned by pangolin_role_admin
      "pangolin.create_principal(name, text)", "pangolin.create_group(name)", "pangolin.adopt_principal(name)",
      "pangolin.set_principal_bounds(name, jsonb)", "pangolin.add_member(name, name)",
      "pangolin.remove_member(name, name)", "pangolin.drop_principal(name)",
      // R__40 tenants
      "pangolin.create_tenant(text)", "pangolin.delete_tenant(text)", "pangolin.add_tenant_admin(text, name)",
      "pangolin.remove_tenant_admin(text, name)", "pangolin.forget_principal(name)",
      // R__45 storage: the prefix file: warehouses must lie under
      "pangolin.set_file_root_prefix(text)");

  /** R__40 to R__95: every change a principal can make, and the branch reads and JDBC-layout helpers. */
  private static final Set<String> PRINCIPAL_API = Set.of(
      // R__16 tokens for pangolin serve, minted and revoked by the principal's own session
      "pangolin.issue_token(interval)", "pangolin.revoke_tokens()",
      // R__40 tenants
      "pangolin.create_warehouse(text, text, text, text[], jsonb, text, text, text)",
      "pangolin.set_warehouse_credentials(text, text, text, text, text)",
      "pangolin.update_warehouse_storage(text, text, jsonb, text[], text[], text[])",
      "pangolin.delete_warehouse(text, text)", "pangolin.create_catalog(text, text, text, text, jsonb)",
      "pangolin.delete_catalog(text, text)", "pangolin.set_drop_retention(text, text, bigint)",
      // R__46 keys
      "pangolin.reseal_tenant_secrets(text, text, text, jsonb)",
      // R__50 grants
      "pangolin.grant_privilege(name, text, bigint, bigint, bigint)",
      "pangolin.revoke_privilege(name, text, bigint, bigint, bigint)",
      // R__60 namespaces
      "pangolin.create_namespace(bigint, text[], jsonb)", "pangolin.alter_namespace(bigint, text[], jsonb, text[])",
      "pangolin.drop_namespace(bigint, text[])",
      // R__70 relations
      "pangolin.load_pointer(bigint, bigint, text[], text)",
      "pangolin.swap_pointer(text, bigint, text[], text, text, text)",
      "pangolin.create_relation(bigint, text[], text, text, text, text)",
      "pangolin.rename_relation(bigint, text[], text, text, text[], text)",
      "pangolin.drop_relation(bigint, text[], text, text, boolean)",
      // R__72 S3 remote signing, asked by pangolin serve acting for a principal (R__47's
      // pangolin.warehouse_signing_key is pangolin_endpoint's alone: see onlyTheEndpointReadsSigningKeys)
      "pangolin.sign_check(text, text[], text, text, text[])",
      "pangolin.stage_table_location(text, text[], text, text)",
      // R__75 graveyard
      "pangolin.request_purge(bigint, text[], text)", "pangolin.require_gc(bigint)",
      "pangolin.location_in_use(text, bigint)", "pangolin.collect_dropped(bigint, boolean)",
      "pangolin.undrop_relation(text, text, text, text[], text, bigint, text[], text)",
      // R__80 branches
      "pangolin.levels_in_scope(jsonb, text[])", "pangolin.ref_out_of_scope(bigint, text[])",
      "pangolin.ref_namespace(bigint, bigint, text[])", "pangolin.ref_child_namespaces(bigint, bigint, text[])",
      "pangolin.ref_pointer(bigint, bigint, text[], text)", "pangolin.ref_listing(bigint, bigint, text[])",
      "pangolin.ref_create_namespace(bigint, text[], jsonb)",
      "pangolin.ref_alter_namespace(bigint, text[], jsonb, text[])",
      "pangolin.ref_write(bigint, text[], text, text, text, text)",
      "pangolin.ref_drop(bigint, text[], text, text, text, boolean)",
      "pangolin.ref_rename(bigint, text[], text, text[], text, text)",
      "pangolin.create_ref(bigint, text, text, text, jsonb)", "pangolin.delete_ref(bigint, text, text)",
      "pangolin.ref_holders(bigint, bigint, text[], text, boolean)",
      // R__85 merge
      "pangolin.merge_ref(bigint, text)",
      // R__90 JDBC layout
      "pangolin_jdbc.table_rows()", "pangolin_jdbc.namespace_rows()",
      "pangolin_jdbc.catalog_id(text)", "pangolin_jdbc.namespace_id(text, text)",
      "pangolin_jdbc.has_dotted_level(text[])", "pangolin_jdbc.refuse_ambiguous(text, text, text, text)",
      // R__95 idempotency keys of the REST endpoint
      "pangolin.idempotency_begin(uuid, text, bytea, interval)", "pangolin.idempotency_finish(uuid, integer, text)",
      "pangolin.idempotency_forget(uuid)");

  /**
   * The documented API, as "role function(argument types)": the contract. A new GRANT EXECUTE, or a revoked one,
   * fails the test until this list says so.
   */
  static final Set<String> DOCUMENTED_API = Stream.of(
          READ_API.stream().map(f -> PRINCIPAL + " " + f),
          READ_API.stream().map(f -> PLATFORM_ADMIN + " " + f),
          PLATFORM_API.stream().map(f -> PLATFORM_ADMIN + " " + f),
          PRINCIPAL_API.stream().map(f -> PRINCIPAL + " " + f))
      .flatMap(s -> s).collect(java.util.stream.Collectors.toUnmodifiableSet());

  // ---- (a) SECURITY DEFINER functions must end their search_path with pg_temp (or have an empty one) ----

  static List<String> definersWithUnsafeSearchPath(Connection c, List<String> schemas) throws SQLException {
    return rows(c, """
        SELECT n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ') has '
               || coalesce((SELECT s FROM unnest(p.proconfig) s WHERE s LIKE 'search_path=%'), 'no search_path')
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname::text = ANY (?) AND p.prosecdef
          AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) s
                          WHERE s ~ '^search_path=(.*,\\s*)?"?pg_temp"?$' OR s IN ('search_path=""', 'search_path='))
        ORDER BY 1
        """, schemas);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void everyDefinerFunctionEndsItsSearchPathWithPgTemp(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(definersWithUnsafeSearchPath(c, SCHEMAS))
          .as("SECURITY DEFINER functions whose search_path does not end with pg_temp").isEmpty();

      planted(c, """
          CREATE FUNCTION pangolin.planted_bad_path() RETURNS int LANGUAGE sql SECURITY DEFINER
            SET search_path = pangolin AS 'SELECT 1';
          CREATE FUNCTION pangolin.planted_temp_first() RETURNS int LANGUAGE sql SECURITY DEFINER
            SET search_path = pg_temp, pangolin AS 'SELECT 1';
          CREATE FUNCTION pangolin_private.planted_no_path() RETURNS int LANGUAGE sql SECURITY DEFINER AS 'SELECT 1';
          CREATE FUNCTION pangolin_jdbc.planted_empty_path() RETURNS int LANGUAGE sql SECURITY DEFINER
            SET search_path = '' AS 'SELECT 1';
          CREATE FUNCTION pangolin.planted_invoker() RETURNS int LANGUAGE sql AS 'SELECT 1';
          """, () -> assertThat(definersWithUnsafeSearchPath(c, SCHEMAS)).containsExactly(
              "pangolin.planted_bad_path() has search_path=pangolin",
              "pangolin.planted_temp_first() has search_path=pg_temp, pangolin",
              "pangolin_private.planted_no_path() has no search_path"));
    }
  }

  // ---- (b) PUBLIC executes nothing of Pangolin's ----

  static List<String> functionsPublicMayExecute(Connection c, List<String> schemas) throws SQLException {
    // A NULL proacl is the default, which lets PUBLIC execute: acldefault spells it out.
    return rows(c, """
        SELECT n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
               || CASE WHEN p.proacl IS NULL THEN ' (default privileges)' ELSE ' (granted)' END
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname::text = ANY (?)
          AND EXISTS (SELECT 1 FROM aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
                      WHERE a.grantee = 0 AND a.privilege_type = 'EXECUTE')
        ORDER BY 1
        """, schemas);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void publicMayExecuteNoFunction(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(functionsPublicMayExecute(c, SCHEMAS)).as("functions PUBLIC may execute").isEmpty();

      planted(c, """
          CREATE FUNCTION pangolin_jdbc.planted_by_superuser() RETURNS int LANGUAGE sql AS 'SELECT 1';
          SET ROLE pangolin_owner;
          CREATE FUNCTION pangolin.planted_granted() RETURNS int LANGUAGE sql AS 'SELECT 1';
          CREATE FUNCTION pangolin.planted_by_owner() RETURNS int LANGUAGE sql AS 'SELECT 1';
          RESET ROLE;
          GRANT EXECUTE ON FUNCTION pangolin.planted_granted() TO PUBLIC;
          """, () -> assertThat(functionsPublicMayExecute(c, SCHEMAS)).containsExactly(
              "pangolin.planted_granted() (granted)", "pangolin_jdbc.planted_by_superuser() (default privileges)"));
    }
  }

  // ---- (c) principals and platform administrators execute exactly the documented API ----

  /** Every function of any schema but PostgreSQL's own that the two roles may execute, by any path. */
  static Set<String> executableByPrincipals(Connection c) throws SQLException {
    return new TreeSet<>(rows(c, """
        SELECT r.rolname || ' ' || n.nspname || '.' || p.proname || '(' || oidvectortypes(p.proargtypes) || ')'
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        CROSS JOIN pg_roles r
        WHERE r.rolname IN ('pangolin_principal', 'pangolin_platform_admin')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND has_function_privilege(r.oid, p.oid, 'EXECUTE')
        """));
  }

  static List<String> apiDeviations(Set<String> executable, Set<String> documented) {
    List<String> out = new ArrayList<>();
    executable.stream().filter(f -> !documented.contains(f)).sorted().forEach(f -> out.add("undocumented: " + f));
    documented.stream().filter(f -> !executable.contains(f)).sorted().forEach(f -> out.add("not executable: " + f));
    return out;
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void principalsExecuteExactlyTheDocumentedApi(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(apiDeviations(executableByPrincipals(c), DOCUMENTED_API))
          .as("functions the principal roles may execute, against the documented API").isEmpty();

      planted(c, """
          GRANT EXECUTE ON FUNCTION pangolin_private.is_superuser() TO pangolin_platform_admin;
          REVOKE EXECUTE ON FUNCTION pangolin.merge_ref(bigint, text) FROM pangolin_principal;
          CREATE FUNCTION public.planted_leak(bigint) RETURNS int LANGUAGE sql AS 'SELECT 1';
          """, () -> assertThat(apiDeviations(executableByPrincipals(c), DOCUMENTED_API)).containsExactly(
              "undocumented: pangolin_platform_admin pangolin_private.is_superuser()",
              "undocumented: pangolin_platform_admin public.planted_leak(bigint)",
              "undocumented: pangolin_principal public.planted_leak(bigint)",
              "not executable: pangolin_principal pangolin.merge_ref(bigint, text)"));
    }
  }

  /** R__47: the key of a remote-signing warehouse is read by pangolin serve's role and nobody else. */
  static final String SIGNING_KEY_FUNCTION = "pangolin.warehouse_signing_key(bigint)";

  static List<String> executorsOfSigningKey(Connection c) throws SQLException {
    return rows(c, """
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolname LIKE 'pangolin\\_%' AND r.rolname <> 'pangolin_owner' AND NOT r.rolsuper
          AND has_function_privilege(r.oid, 'pangolin.warehouse_signing_key(bigint)', 'EXECUTE')
        UNION ALL
        SELECT 'PUBLIC' FROM pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
        WHERE p.oid = 'pangolin.warehouse_signing_key(bigint)'::regprocedure AND a.grantee = 0
        ORDER BY 1
        """);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void onlyTheEndpointReadsSigningKeys(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(executorsOfSigningKey(c)).as(SIGNING_KEY_FUNCTION + " executable by").containsExactly(
          "pangolin_endpoint");
      planted(c, "GRANT EXECUTE ON FUNCTION " + SIGNING_KEY_FUNCTION + " TO pangolin_principal",
          () -> assertThat(executorsOfSigningKey(c)).contains("pangolin_principal"));
    }
  }

  // ---- (d) on tables, principals and PUBLIC hold SELECT and nothing else ----

  static List<String> tablePrivilegesBeyondSelect(Connection c, List<String> schemas) throws SQLException {
    return rows(c, """
        WITH who (oid, name) AS (
          SELECT 0::oid, 'PUBLIC'
          UNION ALL
          SELECT r.oid, r.rolname::text FROM pg_roles r
          WHERE r.rolname IN ('pangolin_principal', 'pangolin_platform_admin')),
        tables AS (
          SELECT c.oid, n.nspname || '.' || c.relname AS name, c.relacl FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname::text = ANY (?) AND c.relkind IN ('r', 'p'))
        SELECT t.name || ': ' || a.privilege_type || ' granted to ' || w.name
        FROM tables t, aclexplode(t.relacl) a JOIN who w ON w.oid = a.grantee
        WHERE a.privilege_type <> 'SELECT'
        UNION ALL
        SELECT t.name || '.' || att.attname || ': ' || a.privilege_type || ' granted to ' || w.name
        FROM tables t JOIN pg_attribute att ON att.attrelid = t.oid AND att.attnum > 0 AND NOT att.attisdropped,
             aclexplode(att.attacl) a JOIN who w ON w.oid = a.grantee
        WHERE a.privilege_type <> 'SELECT'
        UNION ALL
        -- Held through membership of another role as well as granted directly.
        SELECT t.name || ': ' || p.privilege || ' held by ' || w.name
        FROM tables t, who w,
             unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) p (privilege)
        WHERE w.oid <> 0
          AND (has_table_privilege(w.oid, t.oid, p.privilege)
               OR p.privilege IN ('INSERT', 'UPDATE', 'REFERENCES')
                  AND has_any_column_privilege(w.oid, t.oid, p.privilege))
        ORDER BY 1
        """, schemas);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void principalsHoldOnlySelectOnTables(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(tablePrivilegesBeyondSelect(c, SCHEMAS)).as("table privileges beyond SELECT").isEmpty();

      planted(c, """
          GRANT INSERT ON pangolin.tenants TO pangolin_principal;
          GRANT UPDATE (name) ON pangolin.catalogs TO pangolin_platform_admin;
          GRANT TRUNCATE ON pangolin.audit_log TO PUBLIC;
          CREATE ROLE boundary_planted_writer NOLOGIN;
          GRANT DELETE ON pangolin.grants TO boundary_planted_writer;
          GRANT boundary_planted_writer TO pangolin_principal;
          """, () -> assertThat(tablePrivilegesBeyondSelect(c, SCHEMAS)).contains(
              "pangolin.tenants: INSERT granted to pangolin_principal",
              "pangolin.tenants: INSERT held by pangolin_principal",
              "pangolin.catalogs.name: UPDATE granted to pangolin_platform_admin",
              "pangolin.catalogs: UPDATE held by pangolin_platform_admin",
              "pangolin.audit_log: TRUNCATE granted to PUBLIC",
              "pangolin.audit_log: TRUNCATE held by pangolin_principal",
              "pangolin.grants: DELETE held by pangolin_principal"));
    }
  }

  // ---- (e) only the owner uses pangolin_private ----

  static List<String> privateSchemaUsers(Connection c, String schema) throws SQLException {
    return rows(c, """
        SELECT 'PUBLIC: ' || a.privilege_type
        FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        WHERE n.nspname = ? AND a.grantee = 0
        UNION ALL
        -- Any role that can use it by any path; superusers and PostgreSQL's predefined roles (pg_read_all_data,
        -- granted only by a superuser) aside.
        SELECT r.rolname || ': USAGE'
        FROM pg_roles r, pg_namespace n
        WHERE n.nspname = ? AND NOT r.rolsuper AND r.oid >= 16384
          AND r.rolname NOT IN ('pangolin_owner', 'pangolin_role_admin')
          AND has_schema_privilege(r.oid, n.oid, 'USAGE')
        ORDER BY 1
        """, schema, schema);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void onlyTheOwnerUsesThePrivateSchema(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(privateSchemaUsers(c, "pangolin_private")).as("who may use schema pangolin_private").isEmpty();

      planted(c, """
          GRANT USAGE ON SCHEMA pangolin_private TO pangolin_principal;
          GRANT pangolin_owner TO pangolin_platform_admin;
          """, () -> assertThat(privateSchemaUsers(c, "pangolin_private"))
              .contains("pangolin_principal: USAGE", "pangolin_platform_admin: USAGE"));
      planted(c, "GRANT USAGE ON SCHEMA pangolin_private TO PUBLIC",
          () -> assertThat(privateSchemaUsers(c, "pangolin_private")).contains("PUBLIC: USAGE"));
    }
  }

  // ---- (f) no temporary objects, nothing created in schema public ----

  static List<String> temporaryAndPublicCreate(Connection c) throws SQLException {
    return rows(c, """
        SELECT 'PUBLIC: TEMPORARY on the database'
        FROM pg_database d, aclexplode(coalesce(d.datacl, acldefault('d', d.datdba))) a
        WHERE d.datname = current_database() AND a.grantee = 0 AND a.privilege_type = 'TEMPORARY'
        UNION ALL
        SELECT 'PUBLIC: CREATE on schema public'
        FROM pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'
        UNION ALL
        SELECT r.rolname || ': TEMPORARY on the database' FROM pg_roles r
        WHERE r.rolname IN ('pangolin_principal', 'pangolin_platform_admin')
          AND has_database_privilege(r.oid, current_database(), 'TEMPORARY')
        UNION ALL
        SELECT r.rolname || ': CREATE on schema public' FROM pg_roles r
        WHERE r.rolname IN ('pangolin_principal', 'pangolin_platform_admin')
          AND has_schema_privilege(r.oid, 'public', 'CREATE')
        ORDER BY 1
        """);
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void publicMayNeitherMakeTemporaryObjectsNorCreateInPublic(TestPostgres server) throws SQLException {
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(temporaryAndPublicCreate(c)).as("TEMPORARY and CREATE on schema public").isEmpty();

      planted(c, """
          DO $$ BEGIN EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO PUBLIC', current_database()); END $$;
          GRANT CREATE ON SCHEMA public TO PUBLIC;
          """, () -> assertThat(temporaryAndPublicCreate(c)).containsExactly(
              "PUBLIC: CREATE on schema public", "PUBLIC: TEMPORARY on the database",
              "pangolin_platform_admin: CREATE on schema public", "pangolin_platform_admin: TEMPORARY on the database",
              "pangolin_principal: CREATE on schema public", "pangolin_principal: TEMPORARY on the database"));
    }
  }

  // ---- (g) every function, policy, trigger and view is defined in exactly one R__ file ----

  private static final Pattern FUNCTION =
      Pattern.compile("(?im)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?FUNCTION\\s+([\\w.\"]+)\\s*\\(");
  private static final Pattern VIEW =
      Pattern.compile("(?im)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:MATERIALIZED\\s+)?VIEW\\s+([\\w.\"]+)");
  private static final Pattern POLICY = Pattern.compile("(?im)^\\s*CREATE\\s+POLICY\\s+(\\w+)\\s+ON\\s+([\\w.\"]+)");
  // Non-greedy up to the first " ON <table>": the events in between (INSERT OR UPDATE OF x OR DELETE) never say ON.
  private static final Pattern TRIGGER = Pattern.compile(
      "(?ims)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:CONSTRAINT\\s+)?TRIGGER\\s+(\\w+)\\s.*?\\sON\\s+([\\w.\"]+)");

  /** The repeatable migrations, by file name, from the class path Flyway reads them from. */
  static Map<String, String> repeatableFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(BoundaryCatalogTest.class.getClassLoader().getResource("db/definitions").toURI());
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> list = Files.list(dir)) {
      for (Path p : list.filter(p -> p.getFileName().toString().startsWith("R__")).toList()) {
        files.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return files;
  }

  /** "function pangolin.x", "policy pangolin.table.name", ... to the files defining it (once per definition). */
  static Map<String, List<String>> definitionsInFiles(Map<String, String> files) {
    Map<String, List<String>> out = new TreeMap<>();
    files.forEach((file, text) -> {
      collect(out, file, FUNCTION.matcher(text), m -> "function " + m.group(1));
      collect(out, file, VIEW.matcher(text), m -> "view " + m.group(1));
      collect(out, file, POLICY.matcher(text), m -> "policy " + m.group(2) + "." + m.group(1));
      collect(out, file, TRIGGER.matcher(text), m -> "trigger " + m.group(2) + "." + m.group(1));
    });
    return out;
  }

  private static void collect(Map<String, List<String>> out, String file, Matcher m,
      java.util.function.Function<Matcher, String> key) {
    while (m.find()) {
      out.computeIfAbsent(key.apply(m), k -> new ArrayList<>()).add(file);
    }
  }

  /** The same keys for what the database holds in the schemas; an overloaded function appears once per overload. */
  static List<String> definitionsInDatabase(Connection c, List<String> schemas) throws SQLException {
    return rows(c, """
        SELECT 'function ' || n.nspname || '.' || p.proname
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname::text = ANY (?1)
        UNION ALL
        SELECT 'policy ' || n.nspname || '.' || c.relname || '.' || pol.polname
        FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?1)
        UNION ALL
        SELECT 'trigger ' || n.nspname || '.' || c.relname || '.' || t.tgname
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?1) AND NOT t.tgisinternal
        UNION ALL
        SELECT 'view ' || n.nspname || '.' || c.relname
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname::text = ANY (?1) AND c.relkind IN ('v', 'm')
        ORDER BY 1
        """.replace("?1", "?"), schemas, schemas, schemas, schemas);
  }

  static List<String> definitionProblems(Map<String, List<String>> inFiles, List<String> inDatabase) {
    Map<String, Integer> counted = new LinkedHashMap<>();
    inDatabase.forEach(k -> counted.merge(k, 1, Integer::sum));
    List<String> out = new ArrayList<>();
    inFiles.forEach((k, files) -> {
      if (files.size() > 1) {
        out.add(k + " is defined " + files.size() + " times, in " + String.join(", ", files));
      }
      if (!counted.containsKey(k)) {
        out.add(k + " is defined in " + String.join(", ", new TreeSet<>(files)) + " but not in the database");
      }
    });
    counted.forEach((k, n) -> {
      if (!inFiles.containsKey(k)) {
        out.add(k + " is in the database but defined in no R__ file");
      } else if (n > inFiles.get(k).size()) {
        out.add(k + " has " + n + " overloads in the database but " + inFiles.get(k).size() + " definition(s)");
      }
    });
    return out;
  }

  @ParameterizedTest
  @MethodSource("io.pangolin.boundary.BoundaryDatabases#servers")
  void everyDefinitionLivesInExactlyOneRepeatableMigration(TestPostgres server) throws Exception {
    Map<String, String> files = repeatableFiles();
    assertThat(files).as("repeatable migrations found").hasSizeGreaterThanOrEqualTo(11);
    Map<String, List<String>> inFiles = definitionsInFiles(files);
    try (Connection c = BoundaryDatabases.superuser(server, BoundaryDatabases.migrated(server))) {
      assertThat(definitionProblems(inFiles, definitionsInDatabase(c, SCHEMAS)))
          .as("definitions against the R__ files").isEmpty();

      Map<String, String> withDuplicate = new TreeMap<>(files);
      withDuplicate.put("R__99_planted.sql", """
          -- CREATE OR REPLACE FUNCTION pangolin.commented_out() is no definition
          CREATE OR REPLACE FUNCTION pangolin.sees(catalog bigint, namespace bigint, relation bigint)
            RETURNS boolean LANGUAGE sql AS $$ SELECT false $$;
          """);
      planted(c, """
          CREATE FUNCTION pangolin.planted_stray() RETURNS int LANGUAGE sql AS 'SELECT 1';
          CREATE FUNCTION pangolin.may(text) RETURNS boolean LANGUAGE sql AS 'SELECT false';
          CREATE VIEW pangolin.planted_view AS SELECT 1 AS one;
          CREATE POLICY planted_read ON pangolin.tenants FOR SELECT USING (false);
          CREATE TRIGGER planted_trigger AFTER INSERT ON pangolin.tenants
            FOR EACH ROW EXECUTE FUNCTION pangolin_private.record_change();
          DROP POLICY catalogs_read ON pangolin.catalogs;
          """, () -> assertThat(definitionProblems(definitionsInFiles(withDuplicate), definitionsInDatabase(c, SCHEMAS)))
              .containsExactlyInAnyOrder(
                  "function pangolin.sees is defined 2 times, in R__10_principals.sql, R__99_planted.sql",
                  "policy pangolin.catalogs.catalogs_read is defined in R__20_policies.sql but not in the database",
                  "function pangolin.planted_stray is in the database but defined in no R__ file",
                  "function pangolin.may has 2 overloads in the database but 1 definition(s)",
                  "view pangolin.planted_view is in the database but defined in no R__ file",
                  "policy pangolin.tenants.planted_read is in the database but defined in no R__ file",
                  "trigger pangolin.tenants.planted_trigger is in the database but defined in no R__ file"));
    }
  }

  // ---- planting violations ----

  interface Check {
    void run() throws SQLException;
  }

  /** Runs the statements and the check in one transaction and rolls it back: DDL and GRANT are transactional. */
  static void planted(Connection c, String statements, Check check) throws SQLException {
    c.setAutoCommit(false);
    try {
      execute(c, statements);
      check.run();
    } finally {
      c.rollback();
      c.setAutoCommit(true);
    }
  }
}
