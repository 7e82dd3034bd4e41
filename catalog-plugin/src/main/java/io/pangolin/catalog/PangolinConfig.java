package io.pangolin.catalog;

import static io.pangolin.catalog.PropertyValues.bool;
import static io.pangolin.catalog.PropertyValues.byteSize;
import static io.pangolin.catalog.PropertyValues.nonNegativeInt;
import static io.pangolin.catalog.PropertyValues.positiveInt;
import static io.pangolin.catalog.PropertyValues.required;
import static java.util.Objects.requireNonNull;

import io.pangolin.security.Redaction;
import io.pangolin.metastore.pool.PoolSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Every catalog property Pangolin reads, with its default, parsed and validated once. Engines pass these as
 * catalog properties (for Spark, {@code spark.sql.catalog.<name>.<key>}).
 *
 * <p>{@link #toString()} never shows a value of a sensitive key.
 */
public final class PangolinConfig {

  /** The PostgreSQL JDBC URL of the catalog database. Required. */
  public static final String URI = "uri";

  /** Prefix of properties handed to the PostgreSQL driver, such as {@code jdbc.user}. */
  public static final String JDBC_PREFIX = "jdbc.";

  /** The tenant whose catalog this is. Required. */
  public static final String TENANT = "pangolin.tenant";

  /** The Pangolin catalog to open. Defaults to the name the engine gives the catalog. */
  public static final String CATALOG = "pangolin.catalog";

  /**
   * The branch or tag of the catalog to work on. Default {@code main}, the default branch. A tag is read-only.
   * An unknown name fails at catalog open, naming it.
   */
  public static final String REF = "pangolin.ref";

  public static final String REF_DEFAULT = "main";

  /** Migrate the database schema at start when it is behind. Default false: start fails and says how. */
  public static final String AUTO_MIGRATE = "pangolin.schema.auto-migrate";

  /**
   * Most connections of the JVM's pool for these settings, which every catalog instance with the same database
   * settings shares. Default 4: catalog calls are few and short (the writers of a job never make any).
   */
  public static final String POOL_MAX_SIZE = "pangolin.pool.max-size";

  public static final int POOL_MAX_SIZE_DEFAULT = 4;

  /** Connections kept open while idle. Default 0, so an idle engine holds nothing open. */
  public static final String POOL_MIN_IDLE = "pangolin.pool.min-idle";

  public static final int POOL_MIN_IDLE_DEFAULT = 0;

  /** How long to wait for a free connection, in milliseconds. */
  public static final String POOL_CONNECTION_TIMEOUT_MS = "pangolin.pool.connection-timeout-ms";

  public static final long POOL_CONNECTION_TIMEOUT_MS_DEFAULT = 10_000;

  /**
   * How long the JVM's shared pool for these settings may go unused before it is closed, in milliseconds; the next
   * use reopens it. Engines that never close a catalog (Spark) would otherwise keep its threads and connections.
   */
  public static final String POOL_IDLE_CLOSE_MS = "pangolin.pool.idle-close-ms";

  public static final int POOL_IDLE_CLOSE_MS_DEFAULT = 300_000;

  /**
   * The longest a single statement may wait on the network, in seconds; passed to the driver as its socket
   * timeout so that a writer never hangs on a dead server. The pointer swap of a commit derives its server-side
   * limits from the connection's socket timeout (this value, or {@code jdbc.socketTimeout} when set): its
   * transaction runs with {@code statement_timeout}, {@code lock_timeout} and
   * {@code idle_in_transaction_session_timeout} of half the socket timeout, so a swap blocked on a lock is
   * rolled back on the server, and says so, before the client stops waiting. When an answer is lost anyway, the
   * swap's transaction id is polled with {@code pg_xact_status} for up to one socket timeout; a transaction still
   * undecided then is reported as {@code CommitStateUnknownException}. A socket timeout of 0 counts as the default.
   */
  public static final String STATEMENT_TIMEOUT_S = "pangolin.statement-timeout-s";

  public static final int STATEMENT_TIMEOUT_S_DEFAULT = PoolSettings.STATEMENT_TIMEOUT_S_DEFAULT;

  /**
   * How many tables the metadata cache keeps the current parsed metadata of (one entry per table). 0 disables
   * the cache.
   */
  public static final String METADATA_CACHE_SIZE = "pangolin.metadata-cache.size";

  public static final int METADATA_CACHE_SIZE_DEFAULT = 256;

  /**
   * The most heap the metadata cache may hold, by its estimate of each parsed metadata, in bytes or with a
   * suffix k, m or g (KiB, MiB, GiB). 0 disables the cache. Parsed metadata weighs about twice its JSON file.
   */
  public static final String METADATA_CACHE_MAX_BYTES = "pangolin.metadata-cache.max-bytes";

  /** 32 MiB: about 60 tables of 300 snapshots, or 6 of 3,000. */
  public static final long METADATA_CACHE_MAX_BYTES_DEFAULT = 32L << 20;

  /**
   * Consistent reads: whether the table and view loads one thread makes in quick succession share one database
   * snapshot, so that a query whose tables the engine loads one by one sees a merge into the catalog's ref
   * entirely or not at all. Off by default, because each reading thread then holds a pooled connection (in a
   * read-only transaction) until its burst of loads ends; see the README's "Consistent reads".
   */
  public static final String CONSISTENT_READS = "pangolin.consistent-reads";

  /** With consistent reads: how long a thread may go without a load before its burst (and snapshot) ends. */
  public static final String CONSISTENT_READS_GAP_MS = "pangolin.consistent-reads.gap-ms";

  public static final int CONSISTENT_READS_GAP_MS_DEFAULT = 1_000;

  /** With consistent reads: the longest a burst keeps its snapshot, however busy the thread is. */
  public static final String CONSISTENT_READS_MAX_MS = "pangolin.consistent-reads.max-ms";

  public static final int CONSISTENT_READS_MAX_MS_DEFAULT = 10_000;

  /** A file holding the base64 master key that decrypts warehouse secrets. */
  public static final String MASTER_KEY_FILE = "pangolin.master-key-file";

  /** The environment variable holding the base64 master key when no key file is named. */
  public static final String MASTER_KEY_ENV = "pangolin.master-key-env";

  public static final String MASTER_KEY_ENV_DEFAULT = "PANGOLIN_MASTER_KEY";

  /**
   * A file holding the base64 key of this catalog's tenant, which seals the tenant's warehouse secrets once it has a
   * key of its own ('pangolin key reseal'). An engine needs only its tenant's key; the shared master key
   * ({@link #MASTER_KEY_FILE}) stays valid for a tenant whose secrets are still sealed with it.
   */
  public static final String TENANT_KEY_FILE = "pangolin.tenant-key-file";

  /** The environment variable holding the tenant's base64 key when no tenant key file is named. */
  public static final String TENANT_KEY_ENV = "pangolin.tenant-key-env";

  public static final String TENANT_KEY_ENV_DEFAULT = "PANGOLIN_TENANT_KEY";

  private final String uri;
  private final Map<String, String> jdbcProperties;
  private final String tenant;
  private final String catalog;
  private final String ref;
  private final boolean autoMigrate;
  private final PoolProperties pool;
  private final int statementTimeoutSeconds;
  private final int metadataCacheSize;
  private final long metadataCacheMaxBytes;
  private final ConsistentReadsProperties reads;
  private final String masterKeyFile;
  private final String masterKeyEnv;
  private final String tenantKeyFile;
  private final String tenantKeyEnv;

  private PangolinConfig(String engineCatalogName, Map<String, String> properties) {
    this.uri = required(properties, URI, "the PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/pangolin");
    if (!uri.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "Invalid catalog property '" + URI + "': Pangolin needs a PostgreSQL JDBC URL starting with"
              + " 'jdbc:postgresql:', got '" + Redaction.url(uri) + "'");
    }
    this.jdbcProperties =
        properties.entrySet().stream()
            .filter(e -> e.getKey().startsWith(JDBC_PREFIX))
            .collect(
                Collectors.toUnmodifiableMap(
                    e -> e.getKey().substring(JDBC_PREFIX.length()), Map.Entry::getValue));
    this.tenant = required(properties, TENANT, "the name of the tenant that owns the catalog");
    String named = properties.get(CATALOG);
    this.catalog = named != null && !named.isBlank() ? named : engineCatalogName;
    if (catalog == null || catalog.isBlank()) {
      throw new IllegalArgumentException(
          "Missing catalog property '" + CATALOG + "': the engine gave the catalog no name, so set it");
    }
    String namedRef = properties.get(REF);
    this.ref = namedRef != null && !namedRef.isBlank() ? namedRef.strip() : REF_DEFAULT;
    this.autoMigrate = bool(properties, AUTO_MIGRATE, false);
    this.pool = PoolProperties.parse(properties);
    this.statementTimeoutSeconds =
        positiveInt(properties, STATEMENT_TIMEOUT_S, STATEMENT_TIMEOUT_S_DEFAULT);
    this.metadataCacheSize =
        nonNegativeInt(properties, METADATA_CACHE_SIZE, METADATA_CACHE_SIZE_DEFAULT);
    this.metadataCacheMaxBytes =
        byteSize(properties, METADATA_CACHE_MAX_BYTES, METADATA_CACHE_MAX_BYTES_DEFAULT);
    this.reads = ConsistentReadsProperties.parse(properties);
    this.masterKeyFile = properties.get(MASTER_KEY_FILE);
    this.masterKeyEnv = properties.getOrDefault(MASTER_KEY_ENV, MASTER_KEY_ENV_DEFAULT);
    this.tenantKeyFile = properties.get(TENANT_KEY_FILE);
    this.tenantKeyEnv = properties.getOrDefault(TENANT_KEY_ENV, TENANT_KEY_ENV_DEFAULT);
  }

  public static PangolinConfig parse(String engineCatalogName, Map<String, String> properties) {
    return new PangolinConfig(engineCatalogName, requireNonNull(properties, "properties"));
  }

  public String uri() {
    return uri;
  }

  /** Driver properties, with Pangolin's socket timeout unless the user set one. */
  public Properties driverProperties() {
    Properties props = new Properties();
    props.setProperty("socketTimeout", Integer.toString(statementTimeoutSeconds));
    props.setProperty("connectTimeout", Integer.toString(Math.min(statementTimeoutSeconds, 10)));
    props.setProperty("ApplicationName", "pangolin-catalog");
    jdbcProperties.forEach(props::setProperty);
    return props;
  }

  public String tenant() {
    return tenant;
  }

  public String catalog() {
    return catalog;
  }

  public String ref() {
    return ref;
  }

  public boolean autoMigrate() {
    return autoMigrate;
  }

  public int poolMaxSize() {
    return pool.maxSize();
  }

  public int poolMinIdle() {
    return pool.minIdle();
  }

  public long poolConnectionTimeoutMs() {
    return pool.connectionTimeoutMs();
  }

  public long poolIdleCloseMs() {
    return pool.idleCloseMs();
  }

  /** What identifies the JVM-wide pool this catalog shares with every instance of equal settings. */
  public PoolSettings poolSettings() {
    Map<String, String> driver = new LinkedHashMap<>();
    driverProperties().forEach((k, v) -> driver.put((String) k, (String) v));
    return new PoolSettings(uri, driver, pool.maxSize(), pool.minIdle(), pool.connectionTimeoutMs(), pool.idleCloseMs());
  }

  public int statementTimeoutSeconds() {
    return statementTimeoutSeconds;
  }

  public int metadataCacheSize() {
    return metadataCacheSize;
  }

  public long metadataCacheMaxBytes() {
    return metadataCacheMaxBytes;
  }

  public boolean consistentReads() {
    return reads.on();
  }

  public long consistentReadsGapMs() {
    return reads.gapMs();
  }

  public long consistentReadsMaxMs() {
    return reads.maxMs();
  }

  public String masterKeyFile() {
    return masterKeyFile;
  }

  public String masterKeyEnv() {
    return masterKeyEnv;
  }

  public String tenantKeyFile() {
    return tenantKeyFile;
  }

  public String tenantKeyEnv() {
    return tenantKeyEnv;
  }

  @Override
  public String toString() {
    return "PangolinConfig{uri=" + Redaction.url(uri) + ", jdbc=" + Redaction.properties(jdbcProperties)
        + ", tenant=" + tenant + ", catalog=" + catalog + ", ref=" + ref + ", autoMigrate=" + autoMigrate + ", pool=" + pool.minIdle() + ".." + pool.maxSize() + ", statementTimeoutS=" + statementTimeoutSeconds
        + (reads.on() ? ", consistentReads=" + reads.gapMs() + ".." + reads.maxMs() + "ms" : "")
        + "}";
  }
}
