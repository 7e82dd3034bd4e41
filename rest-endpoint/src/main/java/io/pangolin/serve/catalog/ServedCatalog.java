package io.pangolin.serve.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.metastore.Database;
import io.pangolin.metastore.delegation.ActingSession;
import io.pangolin.metastore.delegation.SignChecks;
import java.util.List;
import org.apache.iceberg.MetadataUpdate;
import org.apache.iceberg.UpdateRequirement;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableCommit;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/** One request's catalog: Pangolin's own catalog over the request's acting session, both closed with it. */
final class ServedCatalog implements RequestCatalog {

  private final PangolinCatalog catalog;
  private final ActingSession session;
  private final String prefix;
  private final String principal;
  private final StorageAccess storageAccess;

  ServedCatalog(PangolinCatalog catalog, ActingSession session, String prefix, String principal,
      StorageAccess storageAccess) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.session = requireNonNull(session, "session");
    this.prefix = requireNonNull(prefix, "prefix");
    this.principal = requireNonNull(principal, "principal");
    this.storageAccess = requireNonNull(storageAccess, "storageAccess");
  }

  @Override
  public Catalog tables() {
    return catalog;
  }

  @Override
  public SupportsNamespaces namespaces() {
    return new LocatedNamespaces(catalog);
  }

  @Override
  public ViewCatalog views() {
    return catalog;
  }

  @Override
  public LoadTableResponse withStorageAccess(TableIdentifier table, LoadTableResponse response,
      boolean vendedCredentials) {
    return storageAccess.answer(principal, prefix, catalog, Database.of(session), table, response, vendedCredentials);
  }

  @Override
  public void staged(TableIdentifier table, String location) {
    new SignChecks(Database.of(session)).stage(prefix,
        new SignChecks.TableName(List.of(table.namespace().levels()), table.name()), location);
  }

  @Override
  public void commitTransaction(CommitTransactionRequest request) {
    request.validate();
    catalog.commitTransaction(request.tableChanges().stream()
        .<TableCommit>map(change -> new Change(change.identifier(), change.requirements(), change.updates()))
        .toList());
  }

  /** One table's part of a REST transaction, as Iceberg's catalog API names it. */
  private record Change(TableIdentifier identifier, List<UpdateRequirement> requirements, List<MetadataUpdate> updates)
      implements TableCommit {}

  @Override
  public void close() {
    try {
      catalog.close();
    } finally {
      session.close();
    }
  }
}
