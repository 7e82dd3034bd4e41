package io.pangolin.serve.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.ServedCatalogs;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.delegation.SignChecks;
import io.pangolin.registry.TenantRegistry;
import io.pangolin.security.Keyring;
import io.pangolin.serve.vend.Access;
import io.pangolin.serve.vend.CredentialVendor;
import io.pangolin.serve.vend.VendRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.credentials.Credential;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * How a REST client reaches a table's files without the warehouse's key: by default remote signing (this endpoint
 * signs each request the database allows); when the client asks for vended credentials and the warehouse names a role
 * to assume, short-lived STS credentials confined to the table's location, read-only unless the caller may write it.
 */
public final class StorageAccess {

  /** S3FileIOProperties.REMOTE_SIGNING_ENABLED. */
  static final String REMOTE_SIGNING = "s3.remote-signing-enabled";
  /** Where a caller that may write the table would write metadata: what the write probe asks the database about. */
  private static final String PROBE = "/metadata/pangolin-write-probe.json";

  private final CredentialVendor vendor;
  private final Keyring keys;

  public StorageAccess(CredentialVendor vendor, Keyring keys) {
    this.vendor = requireNonNull(vendor, "vendor");
    this.keys = requireNonNull(keys, "keys");
  }

  LoadTableResponse answer(String principal, String prefix, PangolinCatalog catalog, Database db,
      TableIdentifier table, LoadTableResponse response, boolean vendedCredentials) {
    Map<String, String> config = new HashMap<>(response.config());
    config.putAll(ServedCatalogs.clientStorageProperties(catalog));
    LoadTableResponse.Builder answer = LoadTableResponse.builder().withTableMetadata(response.tableMetadata())
        .addAllCredentials(response.credentials());
    Optional<Credential> vended = vendedCredentials
        ? vend(principal, prefix, catalog, db, table, response.tableMetadata().location()) : Optional.empty();
    if (vended.isPresent()) {
      answer.addCredential(vended.get());
    } else {
      config.put(REMOTE_SIGNING, "true");
    }
    return answer.addAllConfig(config).build();
  }

  private Optional<Credential> vend(String principal, String prefix, PangolinCatalog catalog, Database db,
      TableIdentifier table, String location) {
    TenantRegistry registry = new TenantRegistry(db, keys);
    return VendRequest.forTable(registry.loadWarehouse(ServedCatalogs.warehouseId(catalog)), table.toString(),
            location, mayWrite(db, prefix, table, location) ? Access.WRITE : Access.READ)
        .map(request -> vendor.vend(principal, request));
  }

  /** The database's own answer: whether signing would allow this caller to write the table's metadata. */
  private static boolean mayWrite(Database db, String prefix, TableIdentifier table, String location) {
    try {
      new SignChecks(db).check(prefix,
          Optional.of(new SignChecks.TableName(List.of(table.namespace().levels()), table.name())),
          SignChecks.Access.WRITE, List.of(location.replaceAll("/+$", "") + PROBE));
      return true;
    } catch (RefusedException e) {
      return false;
    }
  }
}
