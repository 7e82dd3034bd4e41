package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/** What a route answers: a status, a JSON body (empty for 204) and extra headers. */
public record Reply(int status, String body, Map<String, String> headers) {

  public Reply {
    requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  public static Reply json(int status, String body) {
    return new Reply(status, body, Map.of());
  }

  public static Reply noContent() {
    return new Reply(204, "", Map.of());
  }

  public Reply withHeader(String name, String value) {
    Map<String, String> more = new HashMap<>(headers);
    more.put(name, value);
    return new Reply(status, body, more);
  }

  boolean succeeded() {
    return status >= 200 && status < 300;
  }
}
