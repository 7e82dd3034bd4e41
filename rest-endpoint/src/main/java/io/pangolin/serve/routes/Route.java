package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.rest.Endpoint;

/**
 * One entry of the route table: an Iceberg {@link Endpoint} (method and path template), what answers it, whether
 * it needs a bearer token and whether it changes state (and so honours {@code Idempotency-Key}).
 */
public record Route(Endpoint endpoint, Action action, boolean authenticated, boolean mutating) {

  /** Answers a matched request. */
  @FunctionalInterface
  public interface Action {
    Reply answer(Call call);
  }

  public Route {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(action, "action");
  }

  static Route read(Endpoint endpoint, Action action) {
    return new Route(endpoint, action, true, false);
  }

  static Route write(Endpoint endpoint, Action action) {
    return new Route(endpoint, action, true, true);
  }

  /** The template as the access log and the metrics name it: never the raw path. */
  public String template() {
    return endpoint.toString();
  }

  /** The template's variables bound to the raw (still encoded) segments of {@code rawPath}, if it matches. */
  Optional<Map<String, String>> match(String method, List<String> rawSegments) {
    if (!endpoint.httpMethod().equals(method)) {
      return Optional.empty();
    }
    List<String> template = segments(endpoint.path());
    if (template.size() != rawSegments.size()) {
      return Optional.empty();
    }
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < template.size(); i++) {
      String expected = template.get(i);
      String actual = rawSegments.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        variables.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(variables);
  }

  static List<String> segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    return List.of(trimmed.split("/", -1));
  }
}
