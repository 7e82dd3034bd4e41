package io.pangolin.serve.routes;

import io.pangolin.serve.catalog.CatalogAccess;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.responses.ListNamespacesResponse;

/** List, create, check, load, drop and update namespaces, through Iceberg's {@link CatalogHandlers}. */
final class NamespaceRoutes extends CatalogRoutes {

  NamespaceRoutes(CatalogAccess access) {
    super(access);
  }

  @Override
  List<Route> routes() {
    return List.of(
        read(Endpoint.V1_LIST_NAMESPACES, (catalog, call) -> list(catalog.namespaces(), call)),
        write(Endpoint.V1_CREATE_NAMESPACE, (catalog, call) ->
            CatalogHandlers.createNamespace(catalog.namespaces(), call.body(CreateNamespaceRequest.class))),
        check(Endpoint.V1_NAMESPACE_EXISTS, (catalog, call) ->
            CatalogHandlers.namespaceExists(catalog.namespaces(), call.namespace())),
        read(Endpoint.V1_LOAD_NAMESPACE, (catalog, call) ->
            CatalogHandlers.loadNamespace(catalog.namespaces(), call.namespace())),
        change(Endpoint.V1_DELETE_NAMESPACE, (catalog, call) ->
            CatalogHandlers.dropNamespace(catalog.namespaces(), call.namespace())),
        write(Endpoint.V1_UPDATE_NAMESPACE, (catalog, call) -> CatalogHandlers.updateNamespaceProperties(
            catalog.namespaces(), call.namespace(), call.body(UpdateNamespacePropertiesRequest.class))));
  }

  private static ListNamespacesResponse list(SupportsNamespaces namespaces, Call call) {
    String parent = call.query("parent");
    Namespace under = parent == null ? Namespace.empty() : RESTUtil.namespaceFromQueryParam(parent);
    return Paging.requested(call)
        ? CatalogHandlers.listNamespaces(namespaces, under, call.query(Paging.TOKEN), call.query(Paging.SIZE))
        : CatalogHandlers.listNamespaces(namespaces, under);
  }
}
