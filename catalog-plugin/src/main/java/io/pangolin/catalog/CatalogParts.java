package io.pangolin.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.CatalogBinding;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.SchemaMigrator;
import io.pangolin.metastore.delegation.TokenStore;
import io.pangolin.metastore.graveyard.Graveyard;
import io.pangolin.metastore.pool.ConnectionPools;
import io.pangolin.metastore.pool.PoolLease;
import io.pangolin.metastore.pool.ReadSnapshots;
import io.pangolin.metastore.refs.Ref;
import io.pangolin.metastore.refs.RefStore;
import io.pangolin.metastore.relations.NamespaceStore;
import io.pangolin.metastore.relations.RelationStore;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.security.MasterKeys;
import io.pangolin.security.Secret;
import io.pangolin.warehouse.StorageResolver;
import io.pangolin.warehouse.WarehouseStorage;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * What a {@link PangolinCatalog} works with, opened from its configuration at initialize: the leased pool (its
 * schema checked or migrated once per pool), the catalog's binding and ref, the stores, and the warehouse storage
 * with its keys. Iceberg makes the catalog with a no-argument constructor, so this is where its parts are built.
 */
record CatalogParts(Database database, CatalogBinding binding, NamespaceStore namespaces, RelationStore store,
    ReadSnapshots reads, DropNotes dropNotes, PurgeHold purgeHold, WarehouseStorage storage) {

  private static final Duration SIGNING_TOKEN_LIFETIME = Duration.ofHours(1);

  CatalogParts {
    requireNonNull(database, "database");
    requireNonNull(binding, "binding");
    requireNonNull(namespaces, "namespaces");
    requireNonNull(store, "store");
    requireNonNull(reads, "reads");
    requireNonNull(dropNotes, "dropNotes");
    requireNonNull(purgeHold, "purgeHold");
    requireNonNull(storage, "storage");
  }

  /** Physical connections come from {@code underlying} when given; on failure the lease is given back. */
  static CatalogParts open(PangolinConfig parsed, DataSource underlying) {
    PoolLease lease;
    try {
      lease = ConnectionPools.lease(parsed.poolSettings(), underlying);
    } catch (RefusedException e) {
      throw IcebergRefusals.of(e);
    }
    Database database = lease.database().withRefusals(IcebergRefusals::of);
    try {
      if (!lease.schemaVerified()) {
        verifySchema(parsed, database, lease);
        lease.markSchemaVerified();
      }
      ReadSnapshots reads = parsed.consistentReads()
          ? lease.readSnapshots(database, parsed.consistentReadsGapMs(), parsed.consistentReadsMaxMs())
          : ReadSnapshots.off(database);
      return assemble(parsed, database, reads, Keyring.of(
          MasterKeys.load(parsed.masterKeyFile(), parsed.masterKeyEnv(), System.getenv()),
          MasterKeys.load(parsed.tenantKeyFile(), parsed.tenantKeyEnv(), System.getenv())), true);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * Parts over a database the caller keeps and whose schema it has checked, with keys it loaded once: pangolin
   * serve's catalog for one request, acting for its caller. No consistent reads: a request is one short unit.
   */
  static CatalogParts over(PangolinConfig parsed, Database database, Keyring keys) {
    Database translated = database.withRefusals(IcebergRefusals::of);
    return assemble(parsed, translated, ReadSnapshots.off(translated), keys, false);
  }

  /**
   * {@code engine}: the catalog of an engine's own login, which signs through pangolin serve for a warehouse that
   * signs remotely, with a token its own session mints (its key is not readable by the engine). Otherwise pangolin
   * serve's catalog, which reads that key as the principal it acts for and works with it.
   */
  private static CatalogParts assemble(PangolinConfig parsed, Database database, ReadSnapshots reads, Keyring keys,
      boolean engine) {
    CatalogBinding binding = CatalogBinding.load(database, parsed.tenant(), parsed.catalog());
    Ref ref = new RefStore(database, binding).resolve(parsed.ref());
    NamespaceStore namespaces = new NamespaceStore(database, binding, ref);
    RelationStore store = new RelationStore(database, binding, ref, reads);
    Graveyard graveyard = new Graveyard(database);
    DropNotes dropNotes = new DropNotes(graveyard, binding, store.ref());
    PurgeHold purgeHold = new PurgeHold(graveyard, binding);
    TenantRegistry tenants = new TenantRegistry(database, keys);
    WarehouseStorage storage = engine
        ? new WarehouseStorage(binding.warehouseId(), tenants::loadWarehouse, new StorageResolver(
            new StorageResolver.Signer(binding.jdbcName(), () -> signingToken(database))))
        : new WarehouseStorage(binding.warehouseId(), tenants::loadWarehouseWithSigningKey, new StorageResolver());
    storage.guardDeletes(purgeHold);
    return new CatalogParts(database, binding, namespaces, store, reads, dropNotes, purgeHold, storage);
  }

  /**
   * A token for pangolin serve, minted by the catalog's own session for its own principal, for the longest lifetime
   * the database grants: the FileIO's signer exchanges it for a new one before it ends.
   */
  private static StorageResolver.Token signingToken(Database database) {
    TokenStore.Token token = new TokenStore(database).issue(SIGNING_TOKEN_LIFETIME);
    return new StorageResolver.Token(Secret.of(token.value()), token.expiresAt());
  }

  /** Migrates, or checks the schema is current; a login the database refuses gets the engine's refusal. */
  private static void verifySchema(PangolinConfig parsed, Database database, DataSource lease) {
    try {
      if (parsed.autoMigrate()) {
        new SchemaMigrator(database).migrate();
      } else {
        SchemaMigrator.requireCurrent(lease);
      }
    } catch (RefusedException e) {
      throw IcebergRefusals.of(e);
    }
  }
}
