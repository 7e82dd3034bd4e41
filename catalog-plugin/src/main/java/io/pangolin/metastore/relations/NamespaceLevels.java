package io.pangolin.metastore.relations;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import org.apache.iceberg.catalog.Namespace;

/**
 * Binds an Iceberg namespace as the text[] of its levels. Here with the relations, the one job of the metastore
 * that speaks Iceberg's names, and not in SqlArrays, which the admin command line loads without Iceberg.
 */
final class NamespaceLevels {

  private NamespaceLevels() {}

  static Array of(Connection conn, Namespace ns) throws SQLException {
    return conn.createArrayOf("text", ns.levels());
  }
}
