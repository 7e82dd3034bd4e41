package io.pangolin.serve.routes;

import io.pangolin.serve.catalog.CatalogAccess;
import java.util.List;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ListTablesResponse;

/** Views: list, create, register, check, load, replace, drop, rename. */
final class ViewRoutes extends CatalogRoutes {

  ViewRoutes(CatalogAccess access) {
    super(access);
  }

  @Override
  List<Route> routes() {
    return List.of(
        read(Endpoint.V1_LIST_VIEWS, (catalog, call) -> list(catalog.views(), call)),
        write(Endpoint.V1_CREATE_VIEW, (catalog, call) ->
            CatalogHandlers.createView(catalog.views(), call.namespace(), call.body(CreateViewRequest.class))),
        write(Endpoint.V1_REGISTER_VIEW, (catalog, call) ->
            CatalogHandlers.registerView(catalog.views(), call.namespace(), call.body(RegisterViewRequest.class))),
        check(Endpoint.V1_VIEW_EXISTS, (catalog, call) -> CatalogHandlers.viewExists(catalog.views(), call.view())),
        read(Endpoint.V1_LOAD_VIEW, (catalog, call) -> CatalogHandlers.loadView(catalog.views(), call.view())),
        write(Endpoint.V1_UPDATE_VIEW, (catalog, call) ->
            CatalogHandlers.updateView(catalog.views(), call.view(), call.body(UpdateTableRequest.class))),
        change(Endpoint.V1_DELETE_VIEW, (catalog, call) -> CatalogHandlers.dropView(catalog.views(), call.view())),
        change(Endpoint.V1_RENAME_VIEW, (catalog, call) ->
            CatalogHandlers.renameView(catalog.views(), call.body(RenameTableRequest.class))));
  }

  private static ListTablesResponse list(ViewCatalog views, Call call) {
    return Paging.requested(call)
        ? CatalogHandlers.listViews(views, call.namespace(), call.query(Paging.TOKEN), call.query(Paging.SIZE))
        : CatalogHandlers.listViews(views, call.namespace());
  }
}
