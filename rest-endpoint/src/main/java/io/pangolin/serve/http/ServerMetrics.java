package io.pangolin.serve.http;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The endpoint's Prometheus metrics, in a registry of its own (not the client's global default): requests by route
 * template and status, latency by route template, the JVM, and the request pool's busy threads and queue.
 */
public final class ServerMetrics {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;

  ServerMetrics(QueuedThreadPool pool) {
    requests = Counter.builder()
        .name("pangolin_http_requests_total")
        .help("REST requests answered, by route template and status")
        .labelNames("route", "status")
        .register(registry);
    latency = Histogram.builder()
        .name("pangolin_http_request_duration_seconds")
        .help("Time to answer a REST request, by route template")
        .labelNames("route")
        .register(registry);
    GaugeWithCallback.builder()
        .name("pangolin_http_threads_busy")
        .help("Request pool threads at work")
        .callback(callback -> callback.call(pool.getBusyThreads()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("pangolin_http_queue_size")
        .help("Tasks waiting for a request pool thread")
        .callback(callback -> callback.call(pool.getQueueSize()))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  void record(String route, int status, long nanos) {
    requests.labelValues(route, Integer.toString(status)).inc();
    latency.labelValues(route).observe(nanos / 1e9);
  }

  String contentType() {
    return writer.getContentType();
  }

  void write(OutputStream out) throws IOException {
    writer.write(out, registry.scrape(), EscapingScheme.DEFAULT);
  }
}
