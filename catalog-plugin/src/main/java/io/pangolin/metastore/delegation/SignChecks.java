package io.pangolin.metastore.delegation;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.SqlArrays;
import io.pangolin.metastore.SqlErrors;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Optional;

/**
 * The database's decision for S3 remote signing (R__72_signing.sql), asked as the acting principal: whether it may
 * have a request that reads or writes these locations signed, and for which table. A refusal leaves as
 * {@link RefusedException} with the database's own words (the principal, the privilege, the table or location as
 * the caller named them), not reworded in the terms of the login that asked, which for pangolin serve is its own.
 */
public final class SignChecks {

  static final String WAREHOUSE_OF = "SELECT c.warehouse_id FROM pangolin.catalogs c WHERE c.jdbc_name = ?";
  static final String SIGN_CHECK =
      "SELECT warehouse_id, catalog_id, table_name, table_location FROM pangolin.sign_check(?, ?, ?, ?, ?)";

  /** What a request does to the objects it touches. */
  static final String STAGE = "SELECT pangolin.stage_table_location(?, ?, ?, ?)";

  public enum Access { READ, WRITE }

  /** A table named by its namespace's levels and its name. */
  public record TableName(List<String> namespace, String name) {

    public TableName {
      namespace = List.copyOf(namespace);
      requireNonNull(name, "name");
    }
  }

  /**
   * An allowed request: the catalog's warehouse, and the table whose location holds every location (empty for a
   * new table's files, whose location is then its namespace's default directory).
   */
  public record Allowed(long warehouseId, long catalogId, Optional<String> table, String location) {

    public Allowed {
      requireNonNull(table, "table");
      requireNonNull(location, "location");
    }
  }

  private final Database db;

  public SignChecks(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** The warehouse of the catalog with this JDBC name, if the acting principal sees the catalog. */
  public Optional<Long> warehouseOf(String jdbcName) {
    requireNonNull(jdbcName, "jdbcName");
    return db.run("find the warehouse of catalog " + jdbcName, null, conn -> asDatabaseSaid(() -> {
      try (PreparedStatement ps = conn.prepareStatement(WAREHOUSE_OF)) {
        ps.setString(1, jdbcName);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
        }
      }
    }));
  }

  /**
   * The database's answer for a request of {@code access} on {@code locations} (s3://bucket/key) in the catalog
   * with this JDBC name, for {@code table} or, when empty, whichever table holds the first location.
   */
  public Allowed check(String jdbcName, Optional<TableName> table, Access access, List<String> locations) {
    requireNonNull(jdbcName, "jdbcName");
    requireNonNull(table, "table");
    requireNonNull(access, "access");
    List<String> wanted = List.copyOf(locations);
    return db.run("check signing in catalog " + jdbcName, SignChecks::badInput, conn -> asDatabaseSaid(() -> {
      try (PreparedStatement ps = conn.prepareStatement(SIGN_CHECK)) {
        ps.setString(1, jdbcName);
        if (table.isPresent()) {
          ps.setArray(2, SqlArrays.text(conn, table.get().namespace()));
          ps.setString(3, table.get().name());
        } else {
          ps.setNull(2, Types.ARRAY);
          ps.setNull(3, Types.VARCHAR);
        }
        ps.setString(4, access.name());
        ps.setArray(5, SqlArrays.text(conn, wanted));
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw new IllegalStateException("pangolin.sign_check answered no row and no refusal");
          }
          return new Allowed(rs.getLong(1), rs.getLong(2), Optional.ofNullable(rs.getString(3)), rs.getString(4));
        }
      }
    }));
  }

  /**
   * Records that the acting principal's staged table writes its files under {@code location} before its pointer
   * exists (a create transaction), so that signing allows them for an hour; refused without CREATE on the namespace
   * (or WRITE on a table replaced in place), or for a location under or above another table.
   */
  public void stage(String jdbcName, TableName table, String location) {
    requireNonNull(table, "table");
    db.run("stage table " + table.name() + " in catalog " + jdbcName, SignChecks::badLocation,
        conn -> asDatabaseSaid(() -> {
          try (PreparedStatement ps = conn.prepareStatement(STAGE)) {
            ps.setString(1, requireNonNull(jdbcName, "jdbcName"));
            ps.setArray(2, SqlArrays.text(conn, table.namespace()));
            ps.setString(3, table.name());
            ps.setString(4, requireNonNull(location, "location"));
            ps.execute();
            return null;
          }
        }));
  }

  /** Input the database refuses as out of bounds (too many locations, a '..' segment): the caller's mistake. */
  private static RuntimeException badInput(SQLException e) {
    return SqlErrors.is(e, SqlErrors.INVALID_PARAMETER_VALUE)
        ? new IllegalArgumentException(SqlErrors.serverMessage(e), SqlErrors.asCause(e)) : null;
  }

  /** As {@link #badInput}, and a location outside the catalog's warehouse (23514). */
  private static RuntimeException badLocation(SQLException e) {
    return SqlErrors.is(e, SqlErrors.CHECK_VIOLATION)
        ? new IllegalArgumentException(SqlErrors.serverMessage(e), SqlErrors.asCause(e)) : badInput(e);
  }

  /** A statement whose refusal (42501) is reported in the database's words. */
  @FunctionalInterface
  private interface Statement<T> {
    T run() throws SQLException;
  }

  private static <T> T asDatabaseSaid(Statement<T> statement) throws SQLException {
    try {
      return statement.run();
    } catch (SQLException e) {
      if (SqlErrors.is(e, SqlErrors.INSUFFICIENT_PRIVILEGE)) {
        throw new RefusedException(SqlErrors.serverMessage(e), SqlErrors.asCause(e));
      }
      throw e;
    }
  }
}
