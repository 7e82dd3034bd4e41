package io.pangolin.boundary;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.testing.SupportedPostgres;
import io.pangolin.testing.TestPostgres;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;

/** Databases and catalog queries shared by the boundary tests. */
final class BoundaryDatabases {

  /** The schemas whose definitions the boundary is about. */
  static final List<String> SCHEMAS = List.of("pangolin", "pangolin_private", "pangolin_jdbc");
  static final String PRINCIPAL = "pangolin_principal";
  static final String PLATFORM_ADMIN = "pangolin_platform_admin";

  private static final Map<TestPostgres, String> MIGRATED = new ConcurrentHashMap<>();

  private BoundaryDatabases() {}

  /** The default server and the oldest and newest supported ones: the boundary must hold on each. */
  static Stream<TestPostgres> servers() {
    return Stream.concat(Stream.of(TestPostgres.get()), SupportedPostgres.oldestAndNewest());
  }

  /** One freshly migrated database per server, shared by the read-only checks (violations are rolled back). */
  static String migrated(TestPostgres server) {
    return MIGRATED.computeIfAbsent(server, s -> {
      String url = s.newDatabase();
      new SchemaMigrator(s.dataSource(url)).migrate();
      return url;
    });
  }

  static String freshlyMigrated(TestPostgres server) {
    String url = server.newDatabase();
    new SchemaMigrator(server.dataSource(url)).migrate();
    return url;
  }

  /**
   * A database as Pangolin 11 left it: the versioned migrations only (the repeatable definitions live in
   * db/definitions, which this Flyway does not read).
   */
  static String atVersion11(TestPostgres server) {
    String url = server.newDatabase();
    Flyway.configure(SchemaMigrator.class.getClassLoader())
        .dataSource(server.dataSource(url))
        .schemas(SchemaMigrator.SCHEMA)
        .createSchemas(true)
        .locations("classpath:db/pangolin")
        .table("schema_history")
        .target("11")
        .load()
        .migrate();
    return url;
  }

  static Connection superuser(TestPostgres server, String url) throws SQLException {
    return server.dataSource(url).getConnection();
  }

  /** The first column of every row, as text; {@code List<String>} parameters are passed as text[]. */
  static List<String> rows(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        if (params[i] instanceof List<?> list) {
          Array array = c.createArrayOf("text", list.toArray());
          s.setArray(i + 1, array);
        } else {
          s.setObject(i + 1, params[i]);
        }
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    }
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
