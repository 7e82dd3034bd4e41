package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.catalog.RequestCatalog;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import org.apache.iceberg.rest.Endpoint;

/**
 * Routes answered by one catalog: each request opens the catalog behind its prefix as its caller and closes it
 * when the answer is ready.
 */
abstract class CatalogRoutes {

  private final CatalogAccess access;

  CatalogRoutes(CatalogAccess access) {
    this.access = requireNonNull(access, "access");
  }

  abstract List<Route> routes();

  /** A read answered with {@code answer}'s JSON. */
  Route read(Endpoint endpoint, BiFunction<RequestCatalog, Call, Object> answer) {
    return Route.read(endpoint, call -> json(call, answer));
  }

  /** A read answered 204 when {@code check} throws nothing (HEAD). */
  Route check(Endpoint endpoint, BiConsumer<RequestCatalog, Call> check) {
    return Route.read(endpoint, call -> empty(call, check));
  }

  /** A change answered with {@code answer}'s JSON. */
  Route write(Endpoint endpoint, BiFunction<RequestCatalog, Call, Object> answer) {
    return Route.write(endpoint, call -> json(call, answer));
  }

  /** A change answered 204. */
  Route change(Endpoint endpoint, BiConsumer<RequestCatalog, Call> change) {
    return Route.write(endpoint, call -> empty(call, change));
  }

  private Reply json(Call call, BiFunction<RequestCatalog, Call, Object> answer) {
    try (RequestCatalog catalog = access.open(call.caller(), call.prefix())) {
      return Reply.json(200, call.json().write(answer.apply(catalog, call)));
    }
  }

  private Reply empty(Call call, BiConsumer<RequestCatalog, Call> action) {
    try (RequestCatalog catalog = access.open(call.caller(), call.prefix())) {
      action.accept(catalog, call);
      return Reply.noContent();
    }
  }
}
