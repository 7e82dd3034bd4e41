package io.pangolin.quickstart;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * pangolin serve ({@code io.pangolin.serve.PangolinServe}) started in this JVM from the distribution's jars: the
 * plugin jar in lib/ and lib/serve/, exactly what {@code bin/pangolin serve} runs. They get a class loader of their
 * own because the endpoint brings its own Iceberg with plain Jackson, while Spark's Iceberg runtime here carries the
 * same Iceberg classes compiled against a relocated Jackson: on one class path one of the two would break.
 */
final class IsolatedEndpoint implements AutoCloseable {

  private final URLClassLoader loader;
  private final AutoCloseable serve;
  private final URI apiUri;

  private IsolatedEndpoint(URLClassLoader loader, AutoCloseable serve, URI apiUri) {
    this.loader = requireNonNull(loader, "loader");
    this.serve = requireNonNull(serve, "serve");
    this.apiUri = requireNonNull(apiUri, "apiUri");
  }

  /** Starts the endpoint on free loopback ports as {@code login}, over the database at {@code jdbcUrl}. */
  static IsolatedEndpoint start(Path distribution, String jdbcUrl, String login, String password, Path masterKeyFile)
      throws Exception {
    // The endpoint logs through its own slf4j-simple; its access log would interleave with the quickstart's output.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    URLClassLoader loader = new URLClassLoader("pangolin-serve", jars(distribution),
        ClassLoader.getPlatformClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Class<?> database = loader.loadClass("io.pangolin.serve.DatabaseSettings");
      Object databaseSettings = database.getConstructor(String.class, String.class, String.class, Path.class,
          Optional.class).newInstance(jdbcUrl, login, password, masterKeyFile, Optional.empty());
      Class<?> settings = loader.loadClass("io.pangolin.serve.http.ServeSettings");
      Object serveSettings = settings.getMethod("withPorts", int.class, int.class)
          .invoke(settings.getMethod("defaults").invoke(null), 0, 0);
      Object serve = loader.loadClass("io.pangolin.serve.PangolinServe").getMethod("start", database, settings)
          .invoke(null, databaseSettings, serveSettings);
      URI api = (URI) serve.getClass().getMethod("apiUri").invoke(serve);
      return new IsolatedEndpoint(loader, (AutoCloseable) serve, api);
    } catch (InvocationTargetException e) {
      loader.close();
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (Exception | Error e) {
      loader.close();
      throw e;
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The REST API's base, the clients' {@code uri}. */
  URI apiUri() {
    return apiUri;
  }

  @Override
  public void close() throws Exception {
    try {
      serve.close();
    } finally {
      loader.close();
    }
  }

  private static URL[] jars(Path distribution) throws IOException {
    Path lib = distribution.resolve("lib");
    if (!Files.isDirectory(lib.resolve("serve"))) {
      throw new IllegalStateException("No pangolin serve jars in " + lib.resolve("serve") + ": build the"
          + " distribution first (mvn -B -ntp -q -DskipTests package -pl distribution -am)");
    }
    List<URL> urls = new ArrayList<>();
    for (Path dir : List.of(lib, lib.resolve("serve"))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(url(jar));
        }
      }
    }
    return urls.toArray(URL[]::new);
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new IllegalStateException("Not a jar path: " + jar, e);
    }
  }
}
