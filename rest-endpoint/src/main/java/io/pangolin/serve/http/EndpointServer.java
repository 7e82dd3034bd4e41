package io.pangolin.serve.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.QoSHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The endpoint's two Jetty servers: the REST API (bounded pool and queue, at most so many requests at once, body
 * and header limits, graceful drain) and the admin port. They are separate servers so that the admin port still
 * answers {@code /readyz} with 503 while the API drains, and still answers when the API's pool is saturated.
 */
public final class EndpointServer implements AutoCloseable {

  private final Server api;
  private final Server admin;
  private final ServerConnector apiConnector;
  private final ServerConnector adminConnector;
  private final boolean tls;

  private EndpointServer(ServeSettings settings, Handler application) {
    QueuedThreadPool pool = new QueuedThreadPool(settings.maxThreads(), ServeSettings.MIN_THREADS,
        (int) settings.idleTimeout().toMillis(), new BlockingArrayQueue<>(settings.maxQueuedRequests()));
    pool.setName("pangolin-serve");
    api = new Server(pool);
    tls = settings.tls().isPresent();
    apiConnector = new ServerConnector(api, apiConnectionFactories(settings));
    apiConnector.setHost(settings.bindHost());
    apiConnector.setPort(settings.port());
    apiConnector.setIdleTimeout(settings.idleTimeout().toMillis());
    api.addConnector(apiConnector);
    ServerMetrics metrics = new ServerMetrics(pool);
    SizeLimitHandler limit = new SizeLimitHandler(settings.maxRequestBodyBytes(), -1);
    limit.setHandler(application);
    QoSHandler qos = new QoSHandler(limit);
    qos.setMaxRequestCount(settings.maxConcurrentRequests());
    qos.setMaxSuspendedRequestCount(settings.maxQueuedRequests());
    api.setHandler(new GracefulHandler(new ObservingHandler(metrics, qos)));
    api.setErrorHandler(new JsonErrorHandler());
    api.setStopTimeout(settings.stopTimeout().toMillis());
    // Jetty's shutdown hook stops the servers in the order they registered: the API drains first (SIGTERM).
    api.setStopAtShutdown(true);

    QueuedThreadPool adminPool = new QueuedThreadPool(8, 2);
    adminPool.setName("pangolin-admin");
    admin = new Server(adminPool);
    adminConnector = new ServerConnector(admin, 1, 1);
    adminConnector.setHost(settings.bindHost());
    adminConnector.setPort(settings.adminPort());
    admin.addConnector(adminConnector);
    admin.setHandler(new AdminHandler(api::isStarted, metrics));
    admin.setStopAtShutdown(true);
  }

  /** Binds both ports and starts answering; a port in use or a bad keystore fails here. */
  public static EndpointServer start(ServeSettings settings, Handler application) throws Exception {
    EndpointServer server = new EndpointServer(requireNonNull(settings, "settings"),
        requireNonNull(application, "application"));
    try {
      server.admin.start();
      server.api.start();
    } catch (Exception e) {
      server.close();
      throw e;
    }
    return server;
  }

  public URI apiUri() {
    return URI.create((tls ? "https" : "http") + "://" + apiConnector.getHost() + ":" + apiConnector.getLocalPort());
  }

  public URI adminUri() {
    return URI.create("http://" + adminConnector.getHost() + ":" + adminConnector.getLocalPort());
  }

  /** Blocks until the API server stops (the shutdown hook, or {@link #close()} from another thread). */
  public void join() throws InterruptedException {
    api.join();
  }

  /** Stops taking requests, lets those in flight finish (up to the stop timeout), then closes the admin port. */
  @Override
  public void close() throws Exception {
    try {
      api.stop();
    } finally {
      admin.stop();
    }
  }

  private static ConnectionFactory[] apiConnectionFactories(ServeSettings settings) {
    HttpConfiguration http = new HttpConfiguration();
    // Iceberg 1.12.0 joins namespace levels with %1F, which Jetty's default compliance refuses as suspicious. Allow
    // exactly that; ambiguous separators such as %2F stay refused, so no name can smuggle a path segment.
    http.setUriCompliance(UriCompliance.DEFAULT.with("iceberg-namespace-separator",
        UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
    http.setRequestHeaderSize(settings.maxHeaderBytes());
    http.setSendServerVersion(false);
    if (settings.tls().isEmpty()) {
      http.addCustomizer(new TrustedProxyCustomizer(settings.trustedProxies()));
      return new ConnectionFactory[] {new HttpConnectionFactory(http)};
    }
    http.addCustomizer(new SecureRequestCustomizer());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(settings.tls().get().keystore().toString());
    ssl.setKeyStorePassword(settings.tls().get().password());
    ssl.setKeyStoreType("PKCS12");
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    return new ConnectionFactory[] {new SslConnectionFactory(ssl, http11.getProtocol()), http11};
  }
}
