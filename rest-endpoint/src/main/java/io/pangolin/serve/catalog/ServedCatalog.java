package io.pangolin.serve.catalog;

import static java.util.Objects.requireNonNull;

import io.pangolin.catalog.PangolinCatalog;
import io.pangolin.catalog.ServedCatalogs;
import io.pangolin.metastore.delegation.ActingSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

  /** S3FileIOProperties.REMOTE_SIGNING_ENABLED. */
  static final String REMOTE_SIGNING = "s3.remote-signing-enabled";

  private final PangolinCatalog catalog;
  private final ActingSession session;

  ServedCatalog(PangolinCatalog catalog, ActingSession session) {
    this.catalog = requireNonNull(catalog, "catalog");
    this.session = requireNonNull(session, "session");
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

  /**
   * The warehouse's address and addressing, and remote signing: the client's FileIO holds no key and asks this
   * endpoint to sign each request, which it does only for the table's own files as the database allows.
   */
  @Override
  public LoadTableResponse withStorageAccess(TableIdentifier table, LoadTableResponse response) {
    Map<String, String> config = new HashMap<>(response.config());
    config.putAll(ServedCatalogs.clientStorageProperties(catalog));
    config.put(REMOTE_SIGNING, "true");
    return LoadTableResponse.builder()
        .withTableMetadata(response.tableMetadata())
        .addAllConfig(config)
        .addAllCredentials(response.credentials())
        .build();
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
