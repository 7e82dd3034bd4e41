package io.pangolin.bench;

import io.pangolin.bench.catalogs.CatalogHandle;
import io.pangolin.bench.catalogs.PangolinAdapter;
import io.pangolin.bench.count.Counts;
import io.pangolin.bench.count.S3RequestCounter;
import io.pangolin.bench.count.SqlCounter;
import io.pangolin.bench.report.AclOperation;
import io.pangolin.bench.report.Results;
import io.pangolin.bench.report.Samples;
import io.pangolin.testing.TestPostgres;
import io.pangolin.testing.TestTables;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * Pangolin's commit, loads and listTables with access control on (row-level security, V4 and later): the same
 * operations as the superuser, which bypasses row-level security as every other section of the run does, as a
 * principal with a grant on the catalog, and as a principal with a grant on one namespace among many others'
 * grants. Each runs through its own login, pool and round-trip counter, and one rotation alternates them.
 */
final class AccessControlBench {

  static final String SUPERUSER = "superuser";
  static final String CATALOG_GRANT = "catalog grant";
  static final String NAMESPACE_GRANT = "namespace grant";
  /** Group roles holding the other namespaces' grants, none of which the measured principals belong to. */
  private static final int TEAMS = 10;

  /** One login under test: its two instances on one pool, and the table it commits to. */
  private record Login(String name, SqlCounter counter, CatalogHandle writer, CatalogHandle reader, Table table) {
    Counts counts() {
      return counter.snapshot().plus(S3RequestCounter.snapshot());
    }
  }

  private final BenchConfig config;
  private final PangolinAdapter pangolin;
  private final CatalogHandle superuser;
  private final Namespace listed;
  private final Consumer<String> step;
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  private final String password = "pw-" + UUID.randomUUID();

  /**
   * {@code superuser} is the harness's own instance, used for set-up; {@code listed} is the namespace of
   * {@code config.listTables()} tables, on which the namespace principal gets its grant.
   */
  AccessControlBench(BenchConfig config, PangolinAdapter pangolin, CatalogHandle superuser, Namespace listed,
      Consumer<String> step) {
    this.config = config;
    this.pangolin = pangolin;
    this.superuser = superuser;
    this.listed = listed;
    this.step = step;
  }

  void run(Results results) {
    Namespace commits = Namespace.of(listed.level(0), "acl_commits");
    setUp(commits);
    List<Login> logins = new ArrayList<>();
    try {
      logins.add(login(SUPERUSER, TestPostgres.get().user(), TestPostgres.get().password(), commits));
      logins.add(login(CATALOG_GRANT, role("catalog"), password, commits));
      logins.add(login(NAMESPACE_GRANT, role("namespace"), password, commits));
      measure(results, AclOperation.COMMIT, config.appendIterations(), logins, l -> new Rotation.Entry(l.name(),
          l::counts, i -> l.table().newFastAppend().appendFile(Tables.fakeDataFile(l.table(), "acl" + i)).commit()));
      measure(results, AclOperation.LOAD_UNCHANGED, config.loadIterations(), logins, l -> new Rotation.Entry(
          l.name(), l::counts, i -> l.reader().tables().loadTable(tableOf(commits, l))));
      measure(results, AclOperation.LOAD_CHANGED, config.loadIterations(), logins, l -> new Rotation.Entry(
          l.name(), l::counts, i -> loadChanged(l, commits),
          i -> l.table().newFastAppend().appendFile(Tables.fakeDataFile(l.table(), "acl-changed" + i)).commit()));
      measure(results, AclOperation.LIST_TABLES, config.listIterations(), logins, l -> new Rotation.Entry(
          l.name(), l::counts, i -> list(l)));
    } finally {
      logins.forEach(l -> {
        l.reader().close();
        l.writer().close();
      });
    }
    results.note("Access control", "superuser = the login every other section uses (bypasses row-level security);"
        + " catalog grant = login " + role("catalog") + " with READ and WRITE on the catalog; namespace grant ="
        + " login " + role("namespace") + " with READ and WRITE on namespace " + listed + " only, among "
        + String.format("%,d", config.aclNamespaces()) + " other namespaces each with READ and WRITE grants to one of "
        + TEAMS + " group roles it is not in. Each login has its own pool; each commits to its own table in "
        + commits + "; a changed load first lets the login's writer instance commit (untimed), then its reader"
        + " instance loads");
  }

  private void measure(Results results, AclOperation op, int iterations, List<Login> logins,
      Function<Login, Rotation.Entry> entry) {
    step.accept(op.label(config) + " as " + SUPERUSER + ", " + CATALOG_GRANT + ", " + NAMESPACE_GRANT + ", " + iterations
        + " iterations");
    Map<String, Samples> samples = Rotation.run(config.warmup(), iterations, logins.stream().map(entry).toList());
    samples.forEach((name, s) -> results.putAccessControl(op, name, s));
  }

  private void loadChanged(Login l, Namespace commits) {
    Table loaded = l.reader().tables().loadTable(tableOf(commits, l));
    if (!Tables.metadataLocation(loaded).equals(Tables.metadataLocation(l.table()))) {
      throw new IllegalStateException(l.name() + " loaded " + Tables.metadataLocation(loaded) + ", not the commit"
          + " just made");
    }
  }

  private void list(Login l) {
    int seen = l.reader().tables().listTables(listed).size();
    if (seen != config.listTables()) {
      throw new IllegalStateException(l.name() + " listed " + seen + " tables, expected " + config.listTables());
    }
  }

  /**
   * Two login roles with their grants, {@link #TEAMS} group roles, and {@code aclNamespaces} further namespaces,
   * each with READ and WRITE grants to one team; then the namespace and tables the logins commit to. Rows are
   * written as the superuser with one statement each, as the other bulk set-up is.
   */
  private void setUp(Namespace commits) {
    step.accept("access control set-up: 2 logins, " + TEAMS + " groups, " + config.aclNamespaces() + " namespaces with grants");
    for (String login : List.of("catalog", "namespace")) {
      pangolin.adminSql("CREATE ROLE " + role(login) + " LOGIN PASSWORD '" + password + "' IN ROLE pangolin_principal");
    }
    for (int t = 0; t < TEAMS; t++) {
      pangolin.adminSql("CREATE ROLE " + role("team_" + t) + " NOLOGIN IN ROLE pangolin_principal");
    }
    pangolin.adminSql("""
        INSERT INTO pangolin.namespaces (catalog_id, levels)
        SELECT c.id, ARRAY['acl_team_' || g] FROM pangolin.catalogs c CROSS JOIN generate_series(1, ?::int) g
        """, Integer.toString(config.aclNamespaces()));
    pangolin.adminSql("""
        INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)
        SELECT n.catalog_id, n.id, ? || (n.id % ?::int), p
        FROM pangolin.namespaces n CROSS JOIN unnest(ARRAY['READ', 'WRITE']) p
        WHERE n.levels[1] LIKE 'acl\\_team\\_%'
        """, role("team_"), Integer.toString(TEAMS));
    pangolin.adminSql("""
        INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)
        SELECT c.id, NULL, ?, p FROM pangolin.catalogs c CROSS JOIN unnest(ARRAY['READ', 'WRITE']) p
        """, role("catalog"));
    pangolin.adminSql("""
        INSERT INTO pangolin.grants (catalog_id, namespace_id, grantee, privilege)
        SELECT n.catalog_id, n.id, ?, p FROM pangolin.namespaces n CROSS JOIN unnest(ARRAY['READ', 'WRITE']) p
        WHERE n.levels = ARRAY[?::text]
        """, role("namespace"), listed.level(0));
    superuser.namespaces().createNamespace(commits, Map.of());
    for (String name : List.of(SUPERUSER, CATALOG_GRANT, NAMESPACE_GRANT)) {
      superuser.tables().createTable(TableIdentifier.of(commits, tableName(name)), TestTables.SCHEMA);
    }
    pangolin.refreshStatistics();
    pangolin.adminSql("VACUUM ANALYZE pangolin.grants");
  }

  private Login login(String name, String user, String pw, Namespace commits) {
    SqlCounter counter = new SqlCounter();
    DataSource connections = pangolin.connectionsAs(user, pw, counter);
    Map<String, String> props = Map.of("jdbc.user", user, "jdbc.password", pw);
    CatalogHandle writer = pangolin.open(props, connections);
    CatalogHandle reader = pangolin.open(props, connections);
    Table table = writer.tables().loadTable(TableIdentifier.of(commits, tableName(name)));
    return new Login(name, counter, writer, reader, table);
  }

  private static TableIdentifier tableOf(Namespace commits, Login l) {
    return TableIdentifier.of(commits, tableName(l.name()));
  }

  private static String tableName(String login) {
    return "acl_" + login.replace(' ', '_');
  }

  private String role(String what) {
    return "bench_" + suffix + "_" + what;
  }

}
