package io.pangolin.serve.http;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the endpoint listens and what it bounds. Every value is checked here, with a message naming the option and
 * the fix, so that a bad setting stops the process before it binds a port.
 *
 * @param bindHost address both ports bind to; without TLS it must be a loopback address (a TLS proxy in front)
 * @param port the REST API's port (0: any free port)
 * @param adminPort the port of /healthz, /readyz and /metrics (0: any free port)
 * @param tls the keystore to serve https with, or empty for plain http
 * @param maxThreads the request thread pool's size
 * @param maxQueuedRequests tasks that may wait for a thread before Jetty refuses work
 * @param maxConcurrentRequests requests handled at once; more wait briefly, then get 503
 * @param maxRequestBodyBytes larger bodies get 413
 * @param maxHeaderBytes larger request headers get 431
 * @param idleTimeout how long an idle connection stays open
 * @param stopTimeout how long a stop waits for requests in flight
 * @param trustedProxies IP addresses whose X-Forwarded-Proto is believed
 */
public record ServeSettings(String bindHost, int port, int adminPort, Optional<TlsSettings> tls, int maxThreads,
                            int maxQueuedRequests, int maxConcurrentRequests, long maxRequestBodyBytes,
                            int maxHeaderBytes, Duration idleTimeout, Duration stopTimeout,
                            Set<String> trustedProxies) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8181;
  public static final int DEFAULT_ADMIN_PORT = 8182;
  /** Jetty's own acceptor and selector threads come out of the pool: fewer leaves none for requests. */
  static final int MIN_THREADS = 8;

  public ServeSettings {
    requireNonNull(bindHost, "bindHost");
    requireNonNull(tls, "tls");
    requireNonNull(idleTimeout, "idleTimeout");
    requireNonNull(stopTimeout, "stopTimeout");
    trustedProxies = Set.copyOf(trustedProxies);
    checkPort("--port", port);
    checkPort("--admin-port", adminPort);
    if (port != 0 && port == adminPort) {
      throw new IllegalArgumentException("--port and --admin-port are both " + port + ": give them different ports");
    }
    if (maxThreads < MIN_THREADS) {
      throw new IllegalArgumentException("--max-threads is " + maxThreads + ": give at least " + MIN_THREADS);
    }
    positive("--max-queued-requests", maxQueuedRequests);
    positive("--max-concurrent-requests", maxConcurrentRequests);
    if (maxConcurrentRequests >= maxThreads) {
      throw new IllegalArgumentException("--max-concurrent-requests (" + maxConcurrentRequests
          + ") must be below --max-threads (" + maxThreads + "): Jetty needs threads of its own");
    }
    positive("--max-request-body-bytes", maxRequestBodyBytes);
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("--max-header-bytes is " + maxHeaderBytes + ": give at least 1024");
    }
    positive("--idle-timeout", idleTimeout.toMillis());
    positive("--stop-timeout", stopTimeout.toMillis());
    InetAddress bind = literal("--host", bindHost);
    if (tls.isEmpty() && !bind.isLoopbackAddress()) {
      throw new IllegalArgumentException("--host " + bindHost + " is not a loopback address and no TLS keystore is "
          + "set: give --tls-keystore, or bind to 127.0.0.1 behind a TLS proxy listed in --trusted-proxy");
    }
    trustedProxies.forEach(proxy -> literal("--trusted-proxy", proxy));
  }

  /** The defaults: loopback, ports 8181 and 8182, plain http. */
  public static ServeSettings defaults() {
    return new ServeSettings(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_ADMIN_PORT, Optional.empty(), 64, 256, 48,
        8L * 1024 * 1024, 16 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(30), Set.of());
  }

  public ServeSettings withPorts(int api, int admin) {
    return new ServeSettings(bindHost, api, admin, tls, maxThreads, maxQueuedRequests, maxConcurrentRequests,
        maxRequestBodyBytes, maxHeaderBytes, idleTimeout, stopTimeout, trustedProxies);
  }

  public ServeSettings withTls(TlsSettings keystore) {
    return new ServeSettings(bindHost, port, adminPort, Optional.of(keystore), maxThreads, maxQueuedRequests,
        maxConcurrentRequests, maxRequestBodyBytes, maxHeaderBytes, idleTimeout, stopTimeout, trustedProxies);
  }

  public ServeSettings withMaxRequestBodyBytes(long bytes) {
    return new ServeSettings(bindHost, port, adminPort, tls, maxThreads, maxQueuedRequests, maxConcurrentRequests,
        bytes, maxHeaderBytes, idleTimeout, stopTimeout, trustedProxies);
  }

  public ServeSettings withTrustedProxies(Set<String> proxies) {
    return new ServeSettings(bindHost, port, adminPort, tls, maxThreads, maxQueuedRequests, maxConcurrentRequests,
        maxRequestBodyBytes, maxHeaderBytes, idleTimeout, stopTimeout, proxies);
  }

  private static void checkPort(String option, int value) {
    if (value < 0 || value > 65535) {
      throw new IllegalArgumentException(option + " is " + value + ": give a port from 1 to 65535 (0: any free one)");
    }
  }

  private static void positive(String option, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(option + " is " + value + ": give a positive value");
    }
  }

  /** An IP address literal; host names are refused because resolving them would make the check depend on DNS. */
  private static InetAddress literal(String option, String address) {
    boolean literal = !address.isEmpty()
        && address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
    try {
      if (literal) {
        return InetAddress.getByName(address);
      }
    } catch (UnknownHostException e) {
      // answered below
    }
    throw new IllegalArgumentException(option + " " + address + " is not an IP address: give one such as 127.0.0.1");
  }
}
