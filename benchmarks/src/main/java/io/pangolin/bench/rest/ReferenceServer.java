package io.pangolin.bench.rest;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.RESTCatalogServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Iceberg's REST reference server, as Iceberg's own tests start it: {@link RESTCatalogServlet} over
 * {@link RESTCatalogAdapter} over a backend catalog, in a Jetty servlet context on a free loopback port. It checks no
 * credential: every request reaches the backend catalog as the one login the catalog was opened with.
 */
final class ReferenceServer implements AutoCloseable {

  private final Server server;
  private final URI apiUri;

  private ReferenceServer(Server server, URI apiUri) {
    this.server = requireNonNull(server, "server");
    this.apiUri = requireNonNull(apiUri, "apiUri");
  }

  static ReferenceServer start(Catalog backend) throws Exception {
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new RESTCatalogServlet(new RESTCatalogAdapter(backend))), "/*");
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception | Error e) {
      server.stop();
      throw e;
    }
    return new ReferenceServer(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
  }

  /** Iceberg's REST client of this server. */
  RESTCatalog client() {
    RESTCatalog client = new RESTCatalog();
    client.initialize("iceberg-rest-reference", Map.of("uri", apiUri.toString()));
    return client;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
