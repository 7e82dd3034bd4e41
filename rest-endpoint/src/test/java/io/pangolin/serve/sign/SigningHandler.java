package io.pangolin.serve.sign;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequestParser;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.apache.iceberg.rest.responses.RemoteSignResponseParser;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A test's sign route, standing in for the endpoint's: classifies each request, allows only objects under one
 * table location, and signs with the given key. Records what each classified request was and which headers it came
 * with (names only), for the test to assert on and to log at DEBUG.
 */
final class SigningHandler extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(SigningHandler.class);

  /** One sign request as seen: the classified operation (or the refusal) and the header names it carried. */
  record Seen(String operation, String method, List<String> headerNames) {}

  private final String path;
  private final S3Target target;
  private final TableLocation allowed;
  private final AwsCredentialsIdentity credentials;
  private final S3RequestSigner signer = new S3RequestSigner();
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  SigningHandler(String path, S3Target target, TableLocation allowed, AwsCredentialsIdentity credentials) {
    this.path = requireNonNull(path, "path");
    this.target = requireNonNull(target, "target");
    this.allowed = requireNonNull(allowed, "allowed");
    this.credentials = requireNonNull(credentials, "credentials");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!path.equals(Request.getPathInContext(request))) {
      return false;
    }
    if (!"POST".equals(request.getMethod())) {
      return answer(response, callback, 405, error(405, "MethodNotAllowed", "POST a RemoteSignRequest"));
    }
    RemoteSignRequest sign = RemoteSignRequestParser.fromJson(Content.Source.asString(request, UTF_8));
    List<String> names = sign.headers().keySet().stream().map(n -> n.toLowerCase(Locale.ROOT)).sorted().toList();
    try {
      S3Access access = S3RequestClassifier.classify(sign, target);
      seen.add(new Seen(access.operation(), sign.method(), names));
      LOG.debug("sign request {} {} headers {}", access.operation(), sign.method(), names);
      if (!allowed.contains(access)) {
        throw new ForbiddenException("%s", "permission denied: principal test lacks " + access.access() + " on "
            + access.describe() + " (outside " + allowed + ")");
      }
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      return answer(response, callback, 200, RemoteSignResponseParser.toJson(signer.sign(sign, credentials, target)));
    } catch (ForbiddenException | BadRequestException e) {
      int status = e instanceof ForbiddenException ? 403 : 400;
      seen.add(new Seen("refused " + sign.method(), sign.method(), names));
      return answer(response, callback, status, error(status, e.getClass().getSimpleName(), e.getMessage()));
    }
  }

  /** Header names per operation, as recorded. */
  Map<String, List<List<String>>> headersByOperation() {
    return seen.stream().collect(Collectors.groupingBy(Seen::operation,
        Collectors.mapping(Seen::headerNames, Collectors.toList())));
  }

  private static String error(int status, String type, String message) {
    return ErrorResponseParser.toJson(ErrorResponse.builder().responseCode(status).withType(type)
        .withMessage(message).build());
  }

  private static boolean answer(Response response, Callback callback, int status, String json) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    Content.Sink.write(response, true, json, callback);
    return true;
  }
}
