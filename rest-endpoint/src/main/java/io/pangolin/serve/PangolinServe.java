package io.pangolin.serve;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.http.EndpointServer;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.serve.routes.RestHandler;
import io.pangolin.serve.routes.RouteTable;
import java.net.URI;

/**
 * pangolin serve in a JVM of one's own: the endpoint over the database, started from validated settings. What the
 * command runs, and what engine tests and the quickstart start beside an engine. Closing it stops the servers
 * (draining requests), then closes the database pool.
 */
public final class PangolinServe implements AutoCloseable {

  private final EndpointServer server;
  private final Backends backends;

  private PangolinServe(EndpointServer server, Backends backends) {
    this.server = requireNonNull(server, "server");
    this.backends = requireNonNull(backends, "backends");
  }

  /** Starts the endpoint: checks the schema is current, opens the pool of the endpoint's login, binds the ports. */
  public static PangolinServe start(DatabaseSettings database, ServeSettings settings) throws Exception {
    return start(BackendsFactory.open(database), settings);
  }

  static PangolinServe start(Backends backends, ServeSettings settings) throws Exception {
    try {
      RestHandler handler = new RestHandler(
          RouteTable.of(backends.authenticator(), backends.catalogs(), backends.signer()),
          backends.authenticator(), backends.idempotencyKeys());
      return new PangolinServe(EndpointServer.start(settings, handler), backends);
    } catch (Exception | Error e) {
      backends.close();
      throw e;
    }
  }

  /** The REST API's base, e.g. http://127.0.0.1:8181 (clients' {@code uri}). */
  public URI apiUri() {
    return server.apiUri();
  }

  /** The admin port's base: /healthz, /readyz, /metrics. */
  public URI adminUri() {
    return server.adminUri();
  }

  /** The database pool, closed only after the servers have stopped. */
  Backends backends() {
    return backends;
  }

  void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    try {
      server.close();
    } finally {
      backends.close();
    }
  }
}
