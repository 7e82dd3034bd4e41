package io.pangolin.flink;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

/**
 * {@code pangolin serve} in a JVM of its own, run the way an operator runs it: {@code io.pangolin.serve.ServeMain}
 * with its options and a password file. Not in the test JVM, whose class path holds the Flink runtime's Iceberg
 * 1.11 where the endpoint needs 1.12; the class path is the one Maven resolved for module rest-endpoint.
 */
final class ServeProcess implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofMinutes(1);

  private final Process process;
  private final URI apiUri;
  private final Path log;

  private ServeProcess(Process process, URI apiUri, Path log) {
    this.process = requireNonNull(process, "process");
    this.apiUri = requireNonNull(apiUri, "apiUri");
    this.log = requireNonNull(log, "log");
  }

  /** Starts the endpoint over {@code jdbcUrl} as {@code login} and waits until /readyz answers 200. */
  static ServeProcess start(Path workDir, String jdbcUrl, String login, String password, String masterKeyFile)
      throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    Path passwordFile = workDir.resolve("endpoint.password");
    Files.deleteIfExists(passwordFile);
    Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(passwordFile, password);
    int port = TrinoServer.freePort();
    int adminPort = TrinoServer.freePort();
    Path log = workDir.resolve("serve.log");
    Process process = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-cp", classPath(),
        "io.pangolin.serve.ServeMain",
        "--port", String.valueOf(port),
        "--admin-port", String.valueOf(adminPort),
        "--jdbc-url", jdbcUrl,
        "--login", login,
        "--password-file", passwordFile.toString(),
        "--master-key-file", masterKeyFile))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    ServeProcess serve = new ServeProcess(process, URI.create("http://127.0.0.1:" + port), log);
    try {
      serve.awaitReady(URI.create("http://127.0.0.1:" + adminPort + "/readyz"));
    } catch (RuntimeException | InterruptedException e) {
      serve.close();
      throw e;
    }
    return serve;
  }

  /** The REST API's base, what clients give as their catalog {@code uri}. */
  URI apiUri() {
    return apiUri;
  }

  private void awaitReady(URI readyz) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("pangolin serve exited with " + process.exitValue() + ":\n" + logText());
      }
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(readyz).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("pangolin serve was not ready in " + START_TIMEOUT + " (last: " + last + "):\n"
        + logText());
  }

  /** The endpoint's console output, for failure messages; it logs no secrets. */
  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    TrinoServer.stop(process);
  }

  private static String classPath() throws IOException {
    String jar = TrinoServer.requiredProperty("pangolin.test.serve.jar");
    Path dependencies = Path.of(TrinoServer.requiredProperty("pangolin.test.serve.classpath"));
    if (!Files.isRegularFile(Path.of(jar)) || !Files.isRegularFile(dependencies)) {
      throw new IllegalStateException("No packaged rest-endpoint at " + jar + " with its class path in "
          + dependencies + ": build module rest-endpoint in the same Maven run (-am)");
    }
    return jar + java.io.File.pathSeparator + Files.readString(dependencies).strip();
  }
}
