package io.pangolin.serve.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.PangolinConfig;
import io.pangolin.catalog.ServedCatalogs;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.metastore.delegation.ActingSession;
import io.pangolin.security.Keyring;
import io.pangolin.serve.auth.Caller;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.iceberg.exceptions.NotFoundException;

/**
 * REST prefixes are catalogs' JDBC-layout names ({@code <tenant>_<catalog>} by default): unique, owned by their
 * tenant, free of {@code /}. Each is looked up as the caller, so a catalog of another tenant and one that does not
 * exist answer the same 404. The catalog of a request is a {@link PangolinCatalog} over that request's
 * {@link ActingSession}.
 */
public final class PangolinCatalogAccess implements CatalogAccess {

  static final String CATALOG_BY_PREFIX = """
      SELECT t.name, c.name FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE c.jdbc_name = ?""";
  static final String CATALOG_BY_NAMES = """
      SELECT c.jdbc_name FROM pangolin.catalogs c JOIN pangolin.tenants t ON t.id = c.tenant_id
      WHERE t.name = ? AND c.name = ?""";
  private static final int MAX_PREFIX = 255;

  private final String jdbcUrl;
  private final DataSource endpointConnections;
  private final Keyring keys;
  private final Map<String, String> catalogProperties;
  private final StorageAccess storageAccess;

  /** {@code catalogProperties}: what every served catalog is opened with besides its names (FileIO settings...). */
  public PangolinCatalogAccess(String jdbcUrl, DataSource endpointConnections, Keyring keys,
      Map<String, String> catalogProperties, StorageAccess storageAccess) {
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
    this.endpointConnections = requireNonNull(endpointConnections, "endpointConnections");
    this.keys = requireNonNull(keys, "keys");
    this.catalogProperties = Map.copyOf(catalogProperties);
    this.storageAccess = requireNonNull(storageAccess, "storageAccess");
  }

  @Override
  public String prefixFor(Caller caller, String warehouse) {
    requireNonNull(warehouse, "warehouse");
    int slash = warehouse.indexOf('/');
    try (ActingSession session = new ActingSession(endpointConnections, caller.token())) {
      Optional<String> prefix = slash < 0
          ? names(session, warehouse).map(names -> warehouse)
          : jdbcName(session, warehouse.substring(0, slash), warehouse.substring(slash + 1));
      return prefix.orElseThrow(() -> new NotFoundException(
          "No catalog '%s' that %s may use: name one as <tenant>/<catalog> or by its prefix", shown(warehouse),
          caller.principal()));
    }
  }

  @Override
  public RequestCatalog open(Caller caller, String prefix) {
    ActingSession session = new ActingSession(endpointConnections, caller.token());
    try {
      String[] names = names(session, prefix).orElseThrow(() -> new NotFoundException(
          "No catalog '%s' that %s may use", shown(prefix), caller.principal()));
      Map<String, String> props = new HashMap<>(catalogProperties);
      props.put(PangolinConfig.URI, jdbcUrl);
      props.put(PangolinConfig.TENANT, names[0]);
      props.put(PangolinConfig.CATALOG, names[1]);
      PangolinCatalog catalog = ServedCatalogs.open(prefix, props, database(session), keys);
      return new ServedCatalog(catalog, session, prefix, caller.principal(), storageAccess);
    } catch (RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private Optional<String[]> names(ActingSession session, String prefix) {
    if (prefix.isEmpty() || prefix.length() > MAX_PREFIX) {
      return Optional.empty();
    }
    return database(session).run("find catalog " + shown(prefix), null, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(CATALOG_BY_PREFIX)) {
        ps.setString(1, prefix);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(new String[] {rs.getString(1), rs.getString(2)}) : Optional.empty();
        }
      }
    });
  }

  private Optional<String> jdbcName(ActingSession session, String tenant, String catalog) {
    return database(session).run("find catalog " + shown(tenant + "/" + catalog), null, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(CATALOG_BY_NAMES)) {
        ps.setString(1, tenant);
        ps.setString(2, catalog);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        }
      }
    });
  }

  private Database database(ActingSession session) {
    return Database.of(session, DatabaseLogin.of(jdbcUrl, null));
  }

  private static String shown(String input) {
    return input.length() > 100 ? input.substring(0, 100) + "... (cut)" : input;
  }
}
