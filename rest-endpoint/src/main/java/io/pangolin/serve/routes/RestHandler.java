package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.auth.Caller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.rest.RESTUtil;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * The REST endpoint as one Jetty handler: match the route, authenticate the bearer token, apply the idempotency key,
 * answer, and turn every failure into an error response. Blocking by design: Jetty runs it on its bounded pool.
 */
public final class RestHandler extends Handler.Abstract {

  static final String ACCESS_DELEGATION = "X-Iceberg-Access-Delegation";

  /** Request attribute: the matched route's template, for the access log and metrics. */
  public static final String ROUTE = "pangolin.route";
  /** Request attribute: the authenticated principal, for the access log. */
  public static final String PRINCIPAL = "pangolin.principal";
  /** Request attribute set when a trusted proxy forwarded the request; its forwarded scheme then decides TLS. */
  public static final String PROXIED = "pangolin.proxied";

  private static final String BEARER = "Bearer ";

  private final RouteTable routes;
  private final Authenticator authenticator;
  private final Idempotency idempotency;
  private final ErrorMapper errors;
  private final RestJson json;

  public RestHandler(RouteTable routes, Authenticator authenticator, IdempotencyKeys keys) {
    super(InvocationType.BLOCKING);
    this.routes = requireNonNull(routes, "routes");
    this.authenticator = requireNonNull(authenticator, "authenticator");
    this.json = new RestJson();
    this.errors = new ErrorMapper(json);
    this.idempotency = new Idempotency(requireNonNull(keys, "keys"), errors);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply = guarded(() -> answer(request));
    response.setStatus(reply.status());
    reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    if (reply.body().isEmpty() || "HEAD".equals(request.getMethod())) {
      callback.succeeded();
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, reply.body(), callback);
    }
    return true;
  }

  private Reply answer(Request request) {
    String method = request.getMethod();
    String rawPath = request.getHttpURI().getPath();
    RouteTable.Match match = routes.match(method, rawPath)
        .orElseThrow(() -> new NotFoundException("No route for %s %s", method, rawPath));
    Route route = match.route();
    request.setAttribute(ROUTE, route.template());
    Optional<Caller> caller = route.authenticated() ? Optional.of(authenticate(request)) : Optional.empty();
    caller.ifPresent(c -> request.setAttribute(PRINCIPAL, c.principal()));
    Call call = new Call(caller, match.variables(), query(request),
        request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getHeaders().get(ACCESS_DELEGATION),
        confidential(request), body(request), json);
    Supplier<Reply> answer = () -> guarded(() -> route.action().answer(call));
    String key = request.getHeaders().get(RESTUtil.IDEMPOTENCY_KEY_HEADER);
    return route.mutating() && key != null
        ? idempotency.run(call, key, method + " " + rawPath, answer)
        : answer.get();
  }

  private Reply guarded(Supplier<Reply> answer) {
    try {
      return answer.get();
    } catch (RuntimeException e) {
      return errors.reply(e);
    }
  }

  private Caller authenticate(Request request) {
    String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new NotAuthorizedException("Not authorized: send Authorization: Bearer <token> (from /v1/oauth/tokens)");
    }
    String token = authorization.substring(BEARER.length()).trim();
    if (token.isEmpty()) {
      throw new NotAuthorizedException("Not authorized: the bearer token is empty");
    }
    return authenticator.authenticate(token);
  }

  private static Map<String, String> query(Request request) {
    Fields fields = Request.extractQueryParameters(request);
    Map<String, String> query = new HashMap<>();
    for (Fields.Field field : fields) {
      query.put(field.getName(), field.getValue());
    }
    return query;
  }

  /** Whether the request travelled encrypted: over TLS, or over loopback straight from a local client. */
  private static boolean confidential(Request request) {
    if (request.isSecure()) {
      return true;
    }
    SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
    return request.getAttribute(PROXIED) == null
        && peer instanceof InetSocketAddress address
        && address.getAddress() != null
        && address.getAddress().isLoopbackAddress();
  }

  private static byte[] body(Request request) {
    try {
      return Content.Source.asInputStream(request).readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the request body", e);
    }
  }
}
