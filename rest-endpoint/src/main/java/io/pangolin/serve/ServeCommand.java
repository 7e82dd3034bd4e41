package io.pangolin.serve;

import io.pangolin.serve.http.EndpointServer;
import io.pangolin.serve.http.ServeSettings;
import io.pangolin.serve.http.TlsSettings;
import io.pangolin.serve.routes.RestHandler;
import io.pangolin.serve.routes.RouteTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.ShutdownThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pangolin serve}: the Iceberg REST catalog and S3 signing endpoint over the Pangolin database. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the Iceberg REST catalog API and S3 request signing. SIGTERM stops it gracefully.")
final class ServeCommand implements Callable<Integer> {

  static final String PASSWORD_FILE_ENV = "PANGOLIN_SERVE_PASSWORD_FILE";
  static final String TLS_PASSWORD_ENV = "PANGOLIN_SERVE_TLS_PASSWORD";
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  private final Map<String, String> environment;

  @Option(names = "--host", description = "Address to bind (default ${DEFAULT-VALUE}); without TLS, loopback only")
  String host = ServeSettings.DEFAULT_HOST;
  @Option(names = "--port", description = "REST API port (default ${DEFAULT-VALUE})")
  int port = ServeSettings.DEFAULT_PORT;
  @Option(names = "--admin-port", description = "Port of /healthz, /readyz, /metrics (default ${DEFAULT-VALUE})")
  int adminPort = ServeSettings.DEFAULT_ADMIN_PORT;
  @Option(names = "--tls-keystore", paramLabel = "FILE", description = "PKCS12 keystore: serve https")
  Path tlsKeystore;
  @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
      description = "File holding the keystore password (default: $" + TLS_PASSWORD_ENV + ")")
  Path tlsPasswordFile;
  @Option(names = "--max-threads", description = "Request threads (default ${DEFAULT-VALUE})")
  int maxThreads = ServeSettings.defaults().maxThreads();
  @Option(names = "--max-queued-requests", description = "Requests waiting for a thread (default ${DEFAULT-VALUE})")
  int maxQueued = ServeSettings.defaults().maxQueuedRequests();
  @Option(names = "--max-concurrent-requests",
      description = "Requests at once; more get 503 (default ${DEFAULT-VALUE})")
  int maxConcurrent = ServeSettings.defaults().maxConcurrentRequests();
  @Option(names = "--max-request-body-bytes", description = "Larger bodies get 413 (default ${DEFAULT-VALUE})")
  long maxBody = ServeSettings.defaults().maxRequestBodyBytes();
  @Option(names = "--max-header-bytes", description = "Larger request headers get 431 (default ${DEFAULT-VALUE})")
  int maxHeader = ServeSettings.defaults().maxHeaderBytes();
  @Option(names = "--idle-timeout-seconds", description = "Idle connection timeout (default ${DEFAULT-VALUE})")
  long idleSeconds = ServeSettings.defaults().idleTimeout().toSeconds();
  @Option(names = "--stop-timeout-seconds", description = "How long a stop drains requests (default ${DEFAULT-VALUE})")
  long stopSeconds = ServeSettings.defaults().stopTimeout().toSeconds();
  @Option(names = "--trusted-proxy", paramLabel = "IP", description = "Proxy whose X-Forwarded-Proto is believed")
  List<String> trustedProxies = List.of();

  @Option(names = "--jdbc-url", required = true, description = "PostgreSQL JDBC URL of the Pangolin database")
  String jdbcUrl;
  @Option(names = "--login", required = true, description = "The endpoint's own database login")
  String login;
  @Option(names = "--password-file", paramLabel = "FILE", description =
      "File holding the endpoint login's password (default: the file named by $" + PASSWORD_FILE_ENV + ")")
  Path passwordFile;
  @Option(names = "--master-key-file", required = true, paramLabel = "FILE", description = "The master key file")
  Path masterKeyFile;
  @Option(names = "--tenant-key-file", paramLabel = "FILE", description = "A tenant key file")
  Path tenantKeyFile;

  ServeCommand(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  ServeSettings settings() {
    ServeSettings settings = new ServeSettings(host, port, adminPort, Optional.empty(), maxThreads, maxQueued,
        maxConcurrent, maxBody, maxHeader, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(stopSeconds),
        Set.copyOf(trustedProxies));
    return tlsKeystore == null ? settings : settings.withTls(new TlsSettings(tlsKeystore, tlsPassword()));
  }

  DatabaseSettings database() {
    Path file = passwordFile;
    if (file == null && environment.containsKey(PASSWORD_FILE_ENV)) {
      file = Path.of(environment.get(PASSWORD_FILE_ENV));
    }
    if (file == null) {
      throw new IllegalArgumentException("No password for --login " + login + ": give --password-file FILE or set "
          + PASSWORD_FILE_ENV + " to the file's path");
    }
    return new DatabaseSettings(jdbcUrl, login, readSecret(file, "--password-file"), masterKeyFile,
        Optional.ofNullable(tenantKeyFile));
  }

  @Override
  public Integer call() throws Exception {
    PangolinServe serve = PangolinServe.start(database(), settings());
    // Registered after the servers' own hooks, so that the database pool closes once requests have drained.
    AbstractLifeCycle closer = new AbstractLifeCycle() {
      @Override
      protected void doStop() {
        serve.backends().close();
      }
    };
    closer.start();
    ShutdownThread.register(closer);
    LOG.info("pangolin serve: REST API on {}, admin on {}", serve.apiUri(), serve.adminUri());
    serve.join();
    return 0;
  }

  private String tlsPassword() {
    if (tlsPasswordFile != null) {
      return readSecret(tlsPasswordFile, "--tls-keystore-password-file");
    }
    String fromEnvironment = environment.get(TLS_PASSWORD_ENV);
    if (fromEnvironment == null) {
      throw new IllegalArgumentException("No password for --tls-keystore " + tlsKeystore
          + ": give --tls-keystore-password-file FILE or set " + TLS_PASSWORD_ENV);
    }
    return fromEnvironment;
  }

  /** A secret file's content without its final line break; the message names the file, never the content. */
  private static String readSecret(Path file, String option) {
    try {
      String secret = Files.readString(file, StandardCharsets.UTF_8).stripTrailing();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException(option + " " + file + " is empty: put the password in it");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException(option + " " + file + " cannot be read: " + e.getClass().getSimpleName()
          + "; give a readable file", e);
    }
  }
}
