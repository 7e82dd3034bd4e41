package io.pangolin.serve;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the endpoint reaches PostgreSQL and its keys: the JDBC URL, the endpoint's own login and password, the master
 * key file and an optional tenant key file. The password never appears in {@link #toString()}.
 */
public record DatabaseSettings(String jdbcUrl, String login, String password, Path masterKeyFile,
                               Optional<Path> tenantKeyFile) {

  public DatabaseSettings {
    requireNonNull(jdbcUrl, "jdbcUrl");
    requireNonNull(login, "login");
    requireNonNull(password, "password");
    requireNonNull(masterKeyFile, "masterKeyFile");
    requireNonNull(tenantKeyFile, "tenantKeyFile");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host/db)");
    }
  }

  @Override
  public String toString() {
    // A JDBC URL's query may carry a password: only its location is shown.
    int query = jdbcUrl.indexOf('?');
    String shown = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    return "DatabaseSettings{jdbcUrl=" + shown + ", login=" + login + ", password=****, masterKeyFile="
        + masterKeyFile + ", tenantKeyFile=" + tenantKeyFile.map(Path::toString).orElse("-") + "}";
  }
}
