package io.pangolin.serve.routes;

import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.catalog.RequestCatalog;
import java.util.List;
import java.util.Locale;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.ReportMetricsRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/** Tables: list, create (staged too), register, check, load, commit, drop, rename, metrics, transactions. */
final class TableRoutes extends CatalogRoutes {

  TableRoutes(CatalogAccess access) {
    super(access);
  }

  @Override
  List<Route> routes() {
    return List.of(
        read(Endpoint.V1_LIST_TABLES, (catalog, call) -> list(catalog.tables(), call)),
        write(Endpoint.V1_CREATE_TABLE, TableRoutes::create),
        write(Endpoint.V1_REGISTER_TABLE, TableRoutes::register),
        check(Endpoint.V1_TABLE_EXISTS, (catalog, call) -> CatalogHandlers.tableExists(catalog.tables(), call.table())),
        read(Endpoint.V1_LOAD_TABLE, (catalog, call) -> catalog.withStorageAccess(call.table(),
            CatalogHandlers.loadTable(catalog.tables(), call.table(), snapshots(call)), call.wantsVendedCredentials())),
        write(Endpoint.V1_UPDATE_TABLE, (catalog, call) -> CatalogHandlers.updateTable(
            catalog.tables(), call.table(), call.body(UpdateTableRequest.class))),
        change(Endpoint.V1_DELETE_TABLE, TableRoutes::drop),
        change(Endpoint.V1_RENAME_TABLE, (catalog, call) ->
            CatalogHandlers.renameTable(catalog.tables(), call.body(RenameTableRequest.class))),
        change(Endpoint.V1_COMMIT_TRANSACTION, (catalog, call) ->
            catalog.commitTransaction(call.body(CommitTransactionRequest.class))),
        // Reports are read (a malformed one is a 400) and not kept: the endpoint has no metrics sink yet.
        new Route(Endpoint.V1_REPORT_METRICS, call -> {
          call.body(ReportMetricsRequest.class);
          return Reply.noContent();
        }, true, false));
  }

  private static ListTablesResponse list(Catalog tables, Call call) {
    return Paging.requested(call)
        ? CatalogHandlers.listTables(tables, call.namespace(), call.query(Paging.TOKEN), call.query(Paging.SIZE))
        : CatalogHandlers.listTables(tables, call.namespace());
  }

  private static LoadTableResponse create(RequestCatalog catalog, Call call) {
    CreateTableRequest request = call.body(CreateTableRequest.class);
    TableIdentifier table = TableIdentifier.of(call.namespace(), request.name());
    if (!request.stageCreate()) {
      return catalog.withStorageAccess(table, CatalogHandlers.createTable(catalog.tables(), call.namespace(), request),
          call.wantsVendedCredentials());
    }
    LoadTableResponse staged = CatalogHandlers.stageTableCreate(catalog.tables(), call.namespace(), request);
    catalog.staged(table, staged.tableMetadata().location());
    return catalog.withStorageAccess(table, staged, call.wantsVendedCredentials());
  }

  private static LoadTableResponse register(RequestCatalog catalog, Call call) {
    RegisterTableRequest request = call.body(RegisterTableRequest.class);
    return catalog.withStorageAccess(TableIdentifier.of(call.namespace(), request.name()),
        CatalogHandlers.registerTable(catalog.tables(), call.namespace(), request), call.wantsVendedCredentials());
  }

  private static void drop(RequestCatalog catalog, Call call) {
    if (Boolean.parseBoolean(call.query("purgeRequested"))) {
      CatalogHandlers.purgeTable(catalog.tables(), call.table());
    } else {
      CatalogHandlers.dropTable(catalog.tables(), call.table());
    }
  }

  private static SnapshotMode snapshots(Call call) {
    String mode = call.query("snapshots");
    if (mode == null) {
      return SnapshotMode.ALL;
    }
    try {
      return SnapshotMode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("Query parameter snapshots must be all or refs, not %s", mode);
    }
  }
}
