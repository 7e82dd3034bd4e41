package io.pangolin.serve.http;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.routes.RestHandler;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One access-log line and one metrics sample per request, when its answer is complete. Both name the route template
 * the router matched, never the raw path (which holds names) nor the query (which may hold sign-request details),
 * and never a header: tokens and secrets travel in headers and bodies only.
 */
final class ObservingHandler extends Handler.Wrapper {

  static final String ACCESS_LOGGER = "io.pangolin.serve.access";
  private static final Logger ACCESS = LoggerFactory.getLogger(ACCESS_LOGGER);
  private static final String UNMATCHED = "unmatched";

  private final ServerMetrics metrics;

  ObservingHandler(ServerMetrics metrics, Handler next) {
    super(next);
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    return super.handle(request, response, new Callback.Nested(callback) {
      @Override
      public void succeeded() {
        observe(request, response, start);
        super.succeeded();
      }

      @Override
      public void failed(Throwable failure) {
        observe(request, response, start);
        super.failed(failure);
      }
    });
  }

  private void observe(Request request, Response response, long start) {
    long nanos = System.nanoTime() - start;
    Object route = request.getAttribute(RestHandler.ROUTE);
    Object principal = request.getAttribute(RestHandler.PRINCIPAL);
    String template = route == null ? UNMATCHED : route.toString();
    metrics.record(template, response.getStatus(), nanos);
    ACCESS.info("route=\"{}\" principal={} status={} ms={}", template, principal == null ? "-" : principal,
        response.getStatus(), TimeUnit.NANOSECONDS.toMillis(nanos));
  }
}
