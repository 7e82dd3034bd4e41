package io.pangolin.serve.routes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import io.pangolin.serve.auth.Authenticator;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.ResourcePaths;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;

/**
 * {@code POST /v1/oauth/tokens}: OAuth2 client credentials (in the form or as HTTP Basic) and token exchange, answered
 * by the {@link Authenticator}. Errors are OAuth2 error JSON, which is what REST clients parse on this route.
 */
final class TokenRoute {

  static final Endpoint ENDPOINT = Endpoint.create("POST", "/" + ResourcePaths.tokens());
  private static final String CLIENT_CREDENTIALS = "client_credentials";
  private static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";

  private final Authenticator authenticator;

  TokenRoute(Authenticator authenticator) {
    this.authenticator = requireNonNull(authenticator, "authenticator");
  }

  Route route() {
    return new Route(ENDPOINT, this::answer, false, false);
  }

  private Reply answer(Call call) {
    if (!call.confidential()) {
      return error(call, 400, "invalid_request",
          "Tokens are issued only over https (or from a trusted proxy that says so): use an https URI");
    }
    Map<String, String> form;
    try {
      form = RESTUtil.decodeFormData(new String(call.body(), UTF_8));
    } catch (IllegalArgumentException e) {
      return error(call, 400, "invalid_request", "The body must be application/x-www-form-urlencoded");
    }
    String grant = form.get("grant_type");
    try {
      if (CLIENT_CREDENTIALS.equals(grant)) {
        return issue(call, form);
      }
      if (TOKEN_EXCHANGE.equals(grant)) {
        String subject = form.get("subject_token");
        return subject == null
            ? error(call, 400, "invalid_request", "Token exchange needs subject_token")
            : ok(call, authenticator.exchange(subject));
      }
    } catch (NotAuthorizedException e) {
      return error(call, 401, "invalid_client", e.getMessage());
    }
    return error(call, 400, "unsupported_grant_type",
        "grant_type must be " + CLIENT_CREDENTIALS + " or " + TOKEN_EXCHANGE);
  }

  private Reply issue(Call call, Map<String, String> form) {
    String id = form.get("client_id");
    String secret = form.get("client_secret");
    String basic = call.authorization();
    if (id == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] pair = decodeBasic(basic.substring(6).trim());
      if (pair == null) {
        return error(call, 400, "invalid_request", "The Basic authorization is not base64 of client_id:secret");
      }
      id = pair[0];
      secret = pair[1];
    }
    if (id == null || secret == null) {
      return error(call, 401, "invalid_client", "Client credentials need client_id and client_secret");
    }
    return ok(call, authenticator.issue(id, secret));
  }

  /** RFC 6749 2.3.1: both halves are form-encoded before they are joined and base64-encoded. */
  private static String[] decodeBasic(String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new String[] {
        RESTUtil.decodeString(decoded.substring(0, colon)), RESTUtil.decodeString(decoded.substring(colon + 1))};
  }

  private static Reply ok(Call call, OAuthTokenResponse response) {
    return Reply.json(200, call.json().write(response)).withHeader("Cache-Control", "no-store");
  }

  private static Reply error(Call call, int status, String error, String description) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    Reply reply = Reply.json(status, call.json().write(body)).withHeader("Cache-Control", "no-store");
    return status == 401 ? reply.withHeader("WWW-Authenticate", "Basic") : reply;
  }
}
