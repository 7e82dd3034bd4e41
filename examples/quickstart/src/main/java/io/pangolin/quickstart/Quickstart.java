package io.pangolin.quickstart;

import io.pangolin.admin.PangolinAdmin;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Pangolin in a couple of minutes, with nothing to install: an embedded PostgreSQL and S3 server, a tenant with
 * its administrator and an engine principal, a warehouse and catalog created through the admin API, and Spark
 * SQL, logged in as the engine principal, writing, reading and time-travelling a table whose metadata.json lands
 * in the warehouse's bucket. Then pangolin serve over the same database, and a REST client holding no S3 key that
 * reads through signed requests the one table its principal may read, and is refused another's file.
 *
 * <p>Arguments: {@code --state DIR} (default .pangolin-quickstart), {@code --clean} to start from nothing.
 */
public final class Quickstart {

  static final String TENANT = "demo";
  static final String TABLE = "lake.sales.orders";
  /** A table the REST client's principal may not read. */
  static final String OTHER_TABLE = "lake.hr.salaries";

  private final Path state;
  private final PrintStream out;
  private final Path repoRoot;
  private int step;

  Quickstart(Path state, Path repoRoot, PrintStream out) {
    this.state = state;
    this.repoRoot = repoRoot;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    Path state = Path.of(".pangolin-quickstart");
    boolean clean = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--state" -> state = Path.of(args[++i]);
        case "--clean" -> clean = true;
        default -> throw new IllegalArgumentException("Unknown argument " + args[i] + "; use --state DIR or --clean");
      }
    }
    Path root = Path.of(System.getProperty("pangolin.repo", ".")).toAbsolutePath();
    new Quickstart(state.toAbsolutePath(), root, System.out).run(clean);
  }

  void run(boolean clean) throws Exception {
    if (clean && Files.exists(state)) {
      say("Starting clean: removing " + state);
      deleteRecursively(state);
    }
    Files.createDirectories(state);
    String masterKey = stateSecret("master.key");
    String s3Secret = stateSecret("s3.secret");
    Principals.Passwords passwords = new Principals.Passwords(Secret.of(stateSecret("admin.password")),
        Secret.of(stateSecret("engine.password")));

    say("Starting PostgreSQL (checking the principals' passwords) and an S3-compatible server (data in " + state + ")");
    try (LocalServices services = LocalServices.start(state, "quickstart", s3Secret)) {
      say("As the superuser: tenant '" + TENANT + "', its administrator " + Principals.TENANT_ADMIN
          + " and the engine principal " + Principals.ENGINE + "; as " + Principals.TENANT_ADMIN
          + ": warehouse 'lake' (s3://" + LocalServices.BUCKET + "/lake), catalog 'lake' and the grant "
          + Principals.ENGINE_PRIVILEGES + " to " + Principals.ENGINE);
      Principals principals = new Principals(services.jdbcUrl(), SecretCipher.fromBase64(masterKey), passwords);
      boolean created = principals.setUp(TENANT, services, s3Secret);
      out.println(created ? "    created them" : "    found them from an earlier run");
      PangolinAdmin admin = principals.tenantAdmin();

      Map<String, String> placeholders = Map.of(
          "PANGOLIN_DB_URI", services.jdbcUrl(),
          "PANGOLIN_ENGINE_USER", Principals.ENGINE,
          "PANGOLIN_ENGINE_PASSWORD", passwords.engine().reveal(),
          "PANGOLIN_TENANT", TENANT,
          "PANGOLIN_MASTER_KEY_FILE", state.resolve("master.key").toString());
      Map<String, String> conf = SparkDefaults.read(repoRoot.resolve("examples/spark/spark-defaults.conf"),
          placeholders);

      say("Starting Spark as " + Principals.ENGINE + " with the catalog settings of"
          + " examples/spark/spark-defaults.conf");
      SparkSession spark = session(conf);
      List<String> earlier = rows(spark, "SHOW NAMESPACES IN lake").contains("sales")
          ? spark.sql("SHOW TABLES IN lake.sales").collectAsList().stream()
              .map(r -> "lake." + r.getString(0) + "." + r.getString(1)).toList()
          : List.of();
      if (!earlier.isEmpty()) {
        out.println("    tables from earlier runs: " + String.join(", ", earlier));
        out.println("    " + TABLE + " has " + rows(spark, "SELECT count(*) FROM " + TABLE).get(0) + " rows");
      }
      writeAndRead(spark, services, admin);
      spark.stop();

      say("Restarting the Spark session: the table is still there");
      spark = session(conf);
      out.println("    " + TABLE + " has " + rows(spark, "SELECT count(*) FROM " + TABLE).get(0)
          + " rows in a new session; history: " + rows(spark, "SELECT count(*) FROM " + TABLE + ".snapshots").get(0)
          + " snapshots");
      if (!spark.catalog().tableExists(OTHER_TABLE)) {
        spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.hr");
        spark.sql("CREATE TABLE " + OTHER_TABLE + " (name STRING, salary DECIMAL(10,2)) USING iceberg");
        spark.sql("INSERT INTO " + OTHER_TABLE + " VALUES ('ada', 9000.00)");
      }
      spark.stop();

      say("The engine principal may not do the tenant administrator's work");
      out.println("    " + Principals.ENGINE + " creating a catalog: refused: " + principals.engineRefusal(TENANT));
      out.println("    " + Principals.ENGINE + " with a wrong password: refused: " + principals.wrongPasswordRefusal());
      say("The audit trail of sales.orders, newest first, as " + Principals.TENANT_ADMIN + " reads it");
      principals.audit(TENANT, "sales.orders", 3).forEach(row -> out.println("    " + row));

      restClient(services, principals, admin);
    }
    say("Done. Run again to see the tables survive; add --clean to start over.");
  }

  /**
   * docs/serve.md in this JVM: pangolin serve over the same database, and a REST client holding no S3 key that
   * reads one table through signed requests and is refused another table's file.
   */
  private void restClient(LocalServices services, Principals principals, PangolinAdmin admin) throws Exception {
    say("pangolin serve in this JVM (the distribution's lib/serve/): its login " + Principals.ENDPOINT_LOGIN
        + " in pangolin_endpoint, and the principal " + Principals.READER + " with READ on table sales.orders only");
    Secret readerPassword = Secret.of(stateSecret("reader.password"));
    principals.setUpRest(TENANT, readerPassword, Secret.of(stateSecret("serve.password")));
    try (IsolatedEndpoint endpoint = IsolatedEndpoint.start(repoRoot.resolve("distribution/target/pangolin"),
        services.jdbcUrl(), Principals.ENDPOINT_LOGIN, stateSecret("serve.password"), state.resolve("master.key"))) {
      out.println("    REST API on " + endpoint.apiUri());
      say("A REST client as " + Principals.READER + ": Iceberg's RESTCatalog with uri, credential and warehouse "
          + TENANT + "/lake, and no S3 key");
      try (RestReader reader = new RestReader(endpoint.apiUri(), Principals.READER, readerPassword.reveal(),
          TENANT + "/lake", out)) {
        Table table = reader.readRows(TableIdentifier.of("sales", "orders"));
        String other = admin.listTables(TENANT, "lake").stream().filter(t -> t.name().equals("salaries"))
            .findFirst().orElseThrow().metadataLocation();
        out.println("    " + OTHER_TABLE + "'s metadata.json through the same FileIO: refused: "
            + reader.refusalToRead(table, other));
      }
    }
  }

  private void writeAndRead(SparkSession spark, LocalServices services, PangolinAdmin admin) {
    boolean exists = spark.catalog().tableExists(TABLE);
    long run = exists ? 1 + Long.parseLong(rows(spark, "SELECT coalesce(max(id), 0) FROM " + TABLE).get(0)) / 100 : 1;
    // Each run's rows get ids run*100+1.. so that a later run's rows stand apart from the first run's.
    long base = run * 100;
    if (exists) {
      say("Run " + run + ": inserting rows " + (base + 1) + ".." + (base + 3) + " into the existing table " + TABLE);
    } else {
      say("Creating namespace lake.sales and table " + TABLE + ", inserting rows " + (base + 1) + ".." + (base + 3));
      spark.sql("CREATE NAMESPACE IF NOT EXISTS lake.sales");
      spark.sql("CREATE TABLE " + TABLE
          + " (id BIGINT, customer STRING, amount DECIMAL(10,2)) USING iceberg PARTITIONED BY (customer)");
    }
    spark.sql("INSERT INTO " + TABLE + " VALUES (" + (base + 1) + ", 'ada', 12.50), (" + (base + 2) + ", 'bob', 7.00)");
    String firstSnapshot = rows(spark, "SELECT snapshot_id FROM " + TABLE + ".snapshots ORDER BY committed_at DESC LIMIT 1")
        .get(0);
    spark.sql("INSERT INTO " + TABLE + " VALUES (" + (base + 3) + ", 'ada', 30.25)");

    say("Reading it back");
    rows(spark, "SELECT id, customer, amount FROM " + TABLE + " ORDER BY id").forEach(r -> out.println("    " + r));
    say("Time travel: the table as of snapshot " + firstSnapshot + ", before the last insert");
    out.println("    " + rows(spark, "SELECT count(*) FROM " + TABLE + " VERSION AS OF " + firstSnapshot).get(0)
        + " rows then, " + rows(spark, "SELECT count(*) FROM " + TABLE).get(0) + " rows now");

    say("Where the table's state lives");
    String metadata = admin.listTables(TENANT, "lake").stream()
        .filter(t -> t.name().equals("orders")).findFirst().orElseThrow().metadataLocation();
    String key = metadata.substring(("s3://" + LocalServices.BUCKET + "/").length());
    long size = services.objectSize(key);
    out.println("    metadata.json: " + metadata);
    out.println("    in bucket '" + LocalServices.BUCKET + "': " + (size >= 0 ? "yes, " + size + " bytes" : "NO"));
    out.println("    PostgreSQL holds only that pointer (pangolin.relations.metadata_location)");
    if (size < 0) {
      throw new IllegalStateException("metadata.json is not in the bucket: " + metadata);
    }
  }

  private static SparkSession session(Map<String, String> catalogConf) {
    SparkSession.Builder builder = SparkSession.builder()
        .appName("pangolin-quickstart")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2");
    catalogConf.forEach(builder::config);
    return builder.getOrCreate();
  }

  private static List<String> rows(SparkSession spark, String sql) {
    return spark.sql(sql).collectAsList().stream().map(Quickstart::format).toList();
  }

  private static String format(Row row) {
    if (row.length() == 1) {
      return String.valueOf(row.get(0));
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.length(); i++) {
      sb.append(i == 0 ? "" : " | ").append(row.get(i));
    }
    return sb.toString();
  }

  /** A secret kept in the state folder: made on the first run, read on later ones. */
  private String stateSecret(String file) throws IOException {
    Path path = state.resolve(file);
    if (!Files.exists(path)) {
      Files.writeString(path, SecretCipher.generateKey());
    }
    return Files.readString(path).strip();
  }

  private void say(String message) {
    out.println("[" + (++step) + "] " + message);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
