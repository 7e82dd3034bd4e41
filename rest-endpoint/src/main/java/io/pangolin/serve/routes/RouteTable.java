package io.pangolin.serve.routes;

import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.sign.SignService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.rest.Endpoint;

/** Every route the endpoint answers, matched by method and path template. */
public final class RouteTable {

  /** A route and the raw values of its template's variables. */
  public record Match(Route route, Map<String, String> variables) {}

  private final List<Route> routes;

  private RouteTable(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static RouteTable of(Authenticator authenticator, CatalogAccess access, SignService signer) {
    List<Route> served = new ArrayList<>();
    served.addAll(new NamespaceRoutes(access).routes());
    served.addAll(new TableRoutes(access).routes());
    served.addAll(new ViewRoutes(access).routes());
    served.addAll(new SignRoutes(signer).routes());
    List<Route> all = new ArrayList<>(served);
    all.add(new ConfigRoute(access, served.stream().map(Route::endpoint).toList()).route());
    all.add(new TokenRoute(authenticator).route());
    return new RouteTable(all);
  }

  public Optional<Match> match(String method, String rawPath) {
    List<String> segments = Route.segments(rawPath);
    for (Route route : routes) {
      Optional<Map<String, String>> variables = route.match(method, segments);
      if (variables.isPresent()) {
        return Optional.of(new Match(route, variables.get()));
      }
    }
    return Optional.empty();
  }

  public List<Endpoint> endpoints() {
    return routes.stream().map(Route::endpoint).toList();
  }
}
