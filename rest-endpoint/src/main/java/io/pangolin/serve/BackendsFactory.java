package io.pangolin.serve;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.metastore.pool.ConnectionPools;
import io.pangolin.metastore.pool.PoolLease;
import io.pangolin.metastore.pool.PoolSettings;
import io.pangolin.security.Keyring;
import io.pangolin.security.MasterKeys;
import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.auth.DatabaseAuthenticator;
import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.catalog.DatabaseIdempotencyKeys;
import io.pangolin.serve.catalog.PangolinCatalogAccess;
import io.pangolin.serve.catalog.StorageAccess;
import io.pangolin.serve.routes.IdempotencyKeys;
import io.pangolin.serve.sign.DatabaseSignService;
import io.pangolin.serve.sign.SignService;
import io.pangolin.serve.vend.CredentialVendor;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Builds the real {@link Backends} over PostgreSQL: the one place they are wired. */
final class BackendsFactory {

  /** How long a token the endpoint hands out lives (the database allows at most an hour). */
  static final Duration TOKEN_LIFETIME = Duration.ofHours(1);

  private BackendsFactory() {}

  static Backends open(DatabaseSettings database) {
    Keyring keys = Keyring.of(MasterKeys.load(database.masterKeyFile().toString(), null, Map.of()),
        database.tenantKeyFile().map(f -> MasterKeys.file(f.toString(), "tenant key")));
    PoolLease pool = ConnectionPools.lease(new PoolSettings(database.jdbcUrl(),
        Map.of("user", database.login(), "password", database.password(), "ApplicationName", "pangolin serve"),
        16, 1, 10_000, 600_000), null);
    try {
      SchemaMigrator.requireCurrent(pool);
      return of(database.jdbcUrl(), pool, keys);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Backends over an open pool of the endpoint's login, which they close. */
  static Backends of(String jdbcUrl, PoolLease pool, Keyring keys) {
    CredentialVendor vendor = CredentialVendor.withUrlConnection();
    return new DatabaseBackends(
        new DatabaseAuthenticator(jdbcUrl, pool, TOKEN_LIFETIME, Clock.systemUTC()),
        new PangolinCatalogAccess(jdbcUrl, pool, keys, Map.of(), new StorageAccess(vendor, keys)),
        new DatabaseSignService(pool, keys),
        new DatabaseIdempotencyKeys(jdbcUrl, pool), pool, vendor);
  }

  private record DatabaseBackends(Authenticator authenticator, CatalogAccess catalogs, SignService signer,
      IdempotencyKeys idempotencyKeys, PoolLease pool, CredentialVendor vendor) implements Backends {

    DatabaseBackends {
      requireNonNull(pool, "pool");
      requireNonNull(vendor, "vendor");
    }

    @Override
    public void close() {
      try {
        vendor.close();
      } finally {
        pool.close();
      }
    }
  }
}
