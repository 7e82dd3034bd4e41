package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.auth.Caller;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.RESTUtil;

/**
 * One matched request as a route sees it: who calls, the path's variables (still percent-encoded, as the template
 * matched them), the decoded query parameters, the raw {@code Authorization} header (only the token route reads it:
 * HTTP Basic), the access delegation the client asks for, whether the request came over TLS or from loopback, and the body.
 */
public record Call(Optional<Caller> authenticated, Map<String, String> pathVariables, Map<String, String> query,
                   String authorization, String accessDelegation, boolean confidential, byte[] body, RestJson json) {

  /** The REST spec's X-Iceberg-Access-Delegation value that asks for credentials rather than signing. */
  static final String VENDED_CREDENTIALS = "vended-credentials";

  /** Iceberg 1.12.0's default {@code namespace-separator}: the unit separator, percent-encoded. */
  static final String NAMESPACE_SEPARATOR = "%1F";

  public Call {
    requireNonNull(authenticated, "authenticated");
    pathVariables = Map.copyOf(pathVariables);
    query = Map.copyOf(query);
    requireNonNull(body, "body");
    requireNonNull(json, "json");
  }

  /** Whether the client asked for vended credentials (X-Iceberg-Access-Delegation lists vended-credentials). */
  public boolean wantsVendedCredentials() {
    return accessDelegation != null && java.util.Arrays.stream(accessDelegation.split(","))
        .anyMatch(mechanism -> mechanism.trim().equalsIgnoreCase(VENDED_CREDENTIALS));
  }

  public Caller caller() {
    return authenticated.orElseThrow(() -> new NotAuthorizedException("Not authorized: no bearer token"));
  }

  public String prefix() {
    return RESTUtil.decodeString(variable("prefix"));
  }

  public Namespace namespace() {
    return RESTUtil.decodeNamespace(variable("namespace"), NAMESPACE_SEPARATOR);
  }

  public TableIdentifier table() {
    return TableIdentifier.of(namespace(), RESTUtil.decodeString(variable("table")));
  }

  public TableIdentifier view() {
    return TableIdentifier.of(namespace(), RESTUtil.decodeString(variable("view")));
  }

  /** A query parameter, or null when the request has none of that name. */
  public String query(String name) {
    return query.get(name);
  }

  public <T> T body(Class<T> type) {
    return json.read(body, type);
  }

  private String variable(String name) {
    String value = pathVariables.get(name);
    if (value == null) {
      throw new IllegalStateException("The route template has no {" + name + "}");
    }
    return value;
  }
}
