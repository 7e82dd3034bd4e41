package io.pangolin.docs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment the documents' blocks run in. The blocks run exactly as written: where one needs a login, an
 * endpoint or a key, it names one of the placeholder variables below, which the harness sets to its own servers.
 * Nothing in a block's text is replaced. The docs list the same variables in an illustrative block, for readers to
 * set to their own servers.
 */
final class DocEnvironment {

  /** The variables whose values no output may show. */
  static final List<String> SECRETS = List.of("LAKE_SECRET_ACCESS_KEY", "DEMO_ADMIN_PASSWORD", "DEMO_ETL_PASSWORD");

  private DocEnvironment() {
  }

  /** Where the documents' placeholders point. */
  record Servers(String pgHost, int pgPort, String superuser, String superuserPassword, String s3Endpoint,
      String s3AccessKey, String s3Secret, String adminPassword, String etlPassword) {
  }

  /**
   * The placeholders (every one of them, in one place):
   * <ul>
   *   <li>PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE: libpq's, the PostgreSQL superuser on database postgres, so
   *       that {@code createdb pangolin} and {@code psql} work as written;</li>
   *   <li>PANGOLIN_DB_URI (jdbc:postgresql://host:port/pangolin), PANGOLIN_DB_USER, PANGOLIN_DB_PASSWORD: the
   *       superuser again, as the admin command line reads it;</li>
   *   <li>LAKE_S3_ENDPOINT, LAKE_ACCESS_KEY_ID, LAKE_SECRET_ACCESS_KEY: the S3 server and its key (the bucket
   *       lake-bucket exists);</li>
   *   <li>DEMO_ADMIN_PASSWORD, DEMO_ETL_PASSWORD: passwords for the principals demo_admin and demo_etl the README
   *       creates;</li>
   *   <li>PANGOLIN_HOME (the distribution), JAVA_HOME, and PATH: PANGOLIN_HOME/bin (pangolin), then the Spark
   *       stand-ins (spark-submit, spark-sql), then the system's PATH.</li>
   * </ul>
   */
  static Map<String, String> placeholders(Servers servers, Path pangolinHome, Path sparkBin) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PGHOST", servers.pgHost());
    env.put("PGPORT", Integer.toString(servers.pgPort()));
    env.put("PGUSER", servers.superuser());
    env.put("PGPASSWORD", servers.superuserPassword());
    env.put("PGDATABASE", "postgres");
    env.put("PANGOLIN_DB_URI", "jdbc:postgresql://" + servers.pgHost() + ":" + servers.pgPort() + "/pangolin");
    env.put("PANGOLIN_DB_USER", servers.superuser());
    env.put("PANGOLIN_DB_PASSWORD", servers.superuserPassword());
    env.put("LAKE_S3_ENDPOINT", servers.s3Endpoint());
    env.put("LAKE_ACCESS_KEY_ID", servers.s3AccessKey());
    env.put("LAKE_SECRET_ACCESS_KEY", servers.s3Secret());
    env.put("DEMO_ADMIN_PASSWORD", servers.adminPassword());
    env.put("DEMO_ETL_PASSWORD", servers.etlPassword());
    env.put("PANGOLIN_HOME", pangolinHome.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("PATH", pangolinHome.resolve("bin") + ":" + sparkBin + ":" + System.getenv().getOrDefault("PATH",
        "/usr/local/bin:/usr/bin:/bin"));
    return env;
  }

  /**
   * The whole environment of a document's bash: the placeholders, HOME (a folder of the run's own, so that
   * nothing is written to the real one), and the locale. Nothing else of the test's environment is passed on.
   */
  static Map<String, String> of(Servers servers, Path pangolinHome, Path sparkBin, Path home) {
    Map<String, String> env = new LinkedHashMap<>(placeholders(servers, pangolinHome, sparkBin));
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    for (String name : List.of("USER", "LOGNAME", "TZ")) {
      String value = System.getenv(name);
      if (value != null) {
        env.put(name, value);
      }
    }
    return env;
  }
}
