package io.pangolin.serve;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.http.EndpointServer;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.serve.routes.RestHandler;
import io.pangolin.serve.routes.RouteTable;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The endpoint in this JVM on 127.0.0.1, any free ports, over the {@link Backends} a test gives it (fakes here, the
 * database-backed ones in the integrator's tests). Closing it stops the server and closes the backends.
 */
public final class EndpointFixture implements AutoCloseable {

  private final Backends backends;
  private final EndpointServer server;
  private final List<RESTCatalog> clients = new CopyOnWriteArrayList<>();

  private EndpointFixture(Backends backends, EndpointServer server) {
    this.backends = backends;
    this.server = server;
  }

  public static EndpointFixture start(Backends backends) throws Exception {
    return start(backends, ServeSettings.defaults().withPorts(0, 0));
  }

  public static EndpointFixture start(Backends backends, ServeSettings settings) throws Exception {
    requireNonNull(backends, "backends");
    RestHandler handler = new RestHandler(
        RouteTable.of(backends.authenticator(), backends.catalogs(), backends.signer()),
        backends.authenticator(), backends.idempotencyKeys());
    try {
      return new EndpointFixture(backends, EndpointServer.start(settings, handler));
    } catch (Exception e) {
      backends.close();
      throw e;
    }
  }

  /**
   * Iceberg's own REST client against this endpoint, with {@code properties} (credential, warehouse, ...); closed
   * with the fixture.
   */
  public RESTCatalog client(String name, Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(properties);
    all.put(CatalogProperties.URI, uri().toString());
    RESTCatalog client = new RESTCatalog();
    client.initialize(name, all);
    clients.add(client);
    return client;
  }

  public URI uri() {
    return server.apiUri();
  }

  public URI adminUri() {
    return server.adminUri();
  }

  public Backends backends() {
    return backends;
  }

  public EndpointServer server() {
    return server;
  }

  @Override
  public void close() throws Exception {
    try {
      for (RESTCatalog client : clients) {
        client.close();
      }
      server.close();
    } finally {
      backends.close();
    }
  }
}
