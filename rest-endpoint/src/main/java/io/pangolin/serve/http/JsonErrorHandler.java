package io.pangolin.serve.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty answers itself, before the REST handler sees a request (an ambiguous path such as {@code %2F} or
 * {@code %2E%2E}, a NUL, headers over the limit), in the spec's error JSON that REST clients parse, instead of
 * Jetty's HTML page that echoes the request's URI. The message is Jetty's reason, never the path or a stack.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback,
      String contentType, List<Charset> charsets, int code, String message, Throwable cause) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, json(code, message), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return json(status, reason);
  }

  private static ByteBuffer json(int code, String message) {
    // A server error's message could name internals: only its status's reason phrase goes out.
    String shown = message == null || code >= 500 ? HttpStatus.getMessage(code) : message;
    ErrorResponse error = ErrorResponse.builder()
        .responseCode(code)
        .withType(code == 404 ? "NotFoundException" : code >= 500 ? "InternalServerError" : "BadRequestException")
        .withMessage(shown)
        .build();
    return ByteBuffer.wrap(ErrorResponseParser.toJson(error).getBytes(UTF_8));
  }
}
