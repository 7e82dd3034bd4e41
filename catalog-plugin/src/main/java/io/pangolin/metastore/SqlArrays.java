package io.pangolin.metastore;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Binds arrays to statements: lists as text[], and string maps without a JSON library (PostgreSQL builds the
 * jsonb from two text arrays). Public because every job of the metastore (relations, refs, access, the graveyard)
 * binds and reads its arrays here; free of Iceberg's types, because the admin command line loads it without them.
 */
public final class SqlArrays {

  private SqlArrays() {}

  /** Binds {@code properties} as the two text[] arguments of jsonb_object(keys, values), at index and index+1. */
  public static void setProperties(Connection conn, PreparedStatement stmt, int index, Map<String, String> properties)
      throws SQLException {
    String[] keys = properties.keySet().toArray(new String[0]);
    String[] values = new String[keys.length];
    for (int i = 0; i < keys.length; i++) {
      values[i] = properties.get(keys[i]);
    }
    stmt.setArray(index, conn.createArrayOf("text", keys));
    stmt.setArray(index + 1, conn.createArrayOf("text", values));
  }

  public static Array text(Connection conn, List<String> values) throws SQLException {
    return conn.createArrayOf("text", values.toArray(new String[0]));
  }

  /** A text[] column as a list; NULL as empty. */
  public static List<String> texts(ResultSet rs, int column) throws SQLException {
    Array array = rs.getArray(column);
    return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
  }

  /**
   * Calls one of the schema's change functions whose parameters are all strings; returns what it answers (the
   * objects it changed), 0 for NULL.
   */
  public static int call(Connection conn, String sql, String... args) throws SQLException {
    try (PreparedStatement stmt = conn.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        stmt.setString(i + 1, args[i]);
      }
      return callInt(stmt);
    }
  }

  /** Runs a prepared call of a change function and returns its integer answer, 0 for NULL. */
  public static int callInt(PreparedStatement stmt) throws SQLException {
    try (ResultSet rs = stmt.executeQuery()) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** The first column of every row a query answers, as text. */
  public static List<String> firstColumn(PreparedStatement stmt) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rs = stmt.executeQuery()) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    }
    return values;
  }
}
