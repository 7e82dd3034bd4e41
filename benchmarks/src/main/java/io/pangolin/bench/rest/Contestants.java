package io.pangolin.bench.rest;

import io.pangolin.bench.catalogs.CatalogHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTCatalogAdapter;
import org.apache.iceberg.rest.responses.RemoteSignResponse;

/**
 * The catalogs of the three columns and the signing client, each opened and tried once before anything is timed. A
 * column that cannot run is kept as the reason why, which the report prints in its place.
 */
final class Contestants implements AutoCloseable {

  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final Map<Column, Catalog> catalogs = new EnumMap<>(Column.class);
  private final Map<Column, String> unavailable = new EnumMap<>(Column.class);
  private Optional<SignClient> signer = Optional.empty();
  private String signUnavailable = "";

  /**
   * @param served pangolin serve, already started
   * @param reference the backend catalog of Iceberg's reference server (the benchmark's JdbcCatalog)
   * @param probe a table every catalog has, loaded once per column to prove the column works
   * @param signedObject the S3 URI of a file of {@code probe} that the sign row asks to read
   */
  static Contestants open(ServedPangolin served, Catalog reference, TableIdentifier probe, URI signedObject,
      Consumer<String> step) {
    Contestants c = new Contestants();
    try {
      CatalogHandle plugin = served.plugin();
      c.opened.push(plugin);
      c.catalogs.put(Column.PLUGIN, plugin.tables());
      RESTCatalog serve = served.client();
      c.opened.push(serve);
      c.catalogs.put(Column.SERVE, serve);
      c.catalogs.values().forEach(catalog -> catalog.loadTable(probe));
      c.openReference(reference, probe, step);
      c.openSigner(served, probe, signedObject, step);
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  Map<Column, Catalog> catalogs() {
    return Map.copyOf(catalogs);
  }

  /** Why a column has no catalog: the reference server's failure, if it could not serve. */
  Map<Column, String> unavailable() {
    return Map.copyOf(unavailable);
  }

  Optional<SignClient> signer() {
    return signer;
  }

  /** Why pangolin serve's sign column is empty, when {@link #signer()} is. */
  String signUnavailable() {
    return signUnavailable;
  }

  /**
   * Iceberg publishes its reference server only in a tests jar, which may be older than the iceberg-core it runs
   * with here; if it cannot serve, the column says so instead of stopping the run.
   */
  private void openReference(Catalog backend, TableIdentifier probe, Consumer<String> step) {
    String versions = "RESTCatalogAdapter from " + jarOf(RESTCatalogAdapter.class) + " with "
        + jarOf(RESTCatalog.class);
    try {
      ReferenceServer server = ReferenceServer.start(backend);
      opened.push(server);
      RESTCatalog client = server.client();
      opened.push(client);
      client.loadTable(probe);
      catalogs.put(Column.REFERENCE, client);
      step.accept("Iceberg REST reference server runs: " + versions);
    } catch (Exception | LinkageError e) {
      unavailable.put(Column.REFERENCE, "Iceberg's reference server (" + versions + ") cannot serve: " + e);
      step.accept(unavailable.get(Column.REFERENCE));
    }
  }

  private static String jarOf(Class<?> type) {
    String path = type.getProtectionDomain().getCodeSource().getLocation().getPath();
    return path.substring(path.lastIndexOf('/', path.length() - 2) + 1);
  }

  /**
   * The sign row measures real signing only: the first signed request must be one S3Proxy (which checks
   * signatures) accepts. A refusal from the endpoint leaves the column empty with the endpoint's own words.
   */
  private void openSigner(ServedPangolin served, TableIdentifier table, URI object, Consumer<String> step) {
    SignClient client = new SignClient(served.apiUri(), served.credential(), served.prefix(), table, object);
    opened.push(client);
    RemoteSignResponse signed;
    try {
      signed = client.sign();
    } catch (RuntimeException e) {
      signUnavailable = "pangolin serve does not sign: " + e.getMessage();
      step.accept(signUnavailable);
      return;
    }
    int status = fetch(signed);
    if (status != 200) {
      throw new IllegalStateException("S3Proxy answered " + status + " to the request pangolin serve signed for "
          + object + ": the sign row would not measure working signatures");
    }
    signer = Optional.of(client);
  }

  private static int fetch(RemoteSignResponse signed) {
    HttpRequest.Builder get = HttpRequest.newBuilder(signed.uri()).GET();
    // HttpClient sets Host itself, from the same URI the signature covers.
    signed.headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("host")) {
        values.forEach(value -> get.header(name, value));
      }
    });
    try {
      return HttpClient.newHttpClient().send(get.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Cannot fetch the signed request from S3Proxy", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        // Closing at the end of a run: what failed to close does not change the figures.
        System.err.println("[rest-bench] could not close " + e.getClass().getSimpleName());
      }
    }
  }
}
