package io.pangolin.serve.http;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The admin port: {@code /healthz} (the process answers), {@code /readyz} (the REST port takes requests; 503 once a
 * stop begins, so that a load balancer drains it) and {@code /metrics} (Prometheus text).
 */
final class AdminHandler extends Handler.Abstract.NonBlocking {

  private final BooleanSupplier ready;
  private final ServerMetrics metrics;

  AdminHandler(BooleanSupplier ready, ServerMetrics metrics) {
    this.ready = requireNonNull(ready, "ready");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!"GET".equals(request.getMethod())) {
      return text(response, callback, 405, "GET only\n");
    }
    switch (Request.getPathInContext(request)) {
      case "/healthz":
        return text(response, callback, 200, "ok\n");
      case "/readyz":
        return ready.getAsBoolean()
            ? text(response, callback, 200, "ready\n")
            : text(response, callback, 503, "stopping\n");
      case "/metrics":
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
        response.write(true, ByteBuffer.wrap(out.toByteArray()), callback);
        return true;
      default:
        return text(response, callback, 404, "not found: /healthz, /readyz or /metrics\n");
    }
  }

  private static boolean text(Response response, Callback callback, int status, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, body, callback);
    return true;
  }
}
