package io.pangolin.spark;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * pangolin serve (rest-endpoint's ServeProcessMain) in a JVM of its own, over a database of the test's. Not in
 * Spark's JVM: the endpoint's Jackson, Jetty 12 and unshaded Iceberg core would meet Spark's Jackson and Iceberg's
 * Spark runtime on one class path. The child serves until its standard input closes: when this is closed, or when
 * the test JVM ends however it ends. Its output goes to a log file under target/, never to the test's output.
 */
public final class ServeProcess implements AutoCloseable {

  private static final String MAIN = "io.pangolin.serve.testing.ServeProcessMain";
  private static final String API_URI = "api-uri ";

  private final Process process;
  private final OutputStream stdin;
  private final String apiUri;

  private ServeProcess(Process process, OutputStream stdin, String apiUri) {
    this.process = requireNonNull(process, "process");
    this.stdin = requireNonNull(stdin, "stdin");
    this.apiUri = requireNonNull(apiUri, "apiUri");
  }

  /** Starts the endpoint with login {@code login} of the database at {@code jdbcUrl}; returns once it listens. */
  public static ServeProcess start(String jdbcUrl, String login, String password, String masterKeyFile) {
    Path log = Path.of("target", "serve-" + login + ".log").toAbsolutePath();
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
          "-cp", classPath(), MAIN, jdbcUrl, login, masterKeyFile));
      builder.redirectError(log.toFile());
      Process process = builder.start();
      OutputStream stdin = process.getOutputStream();
      stdin.write((password + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (line == null || !line.startsWith(API_URI)) {
        process.destroy();
        throw new IllegalStateException("pangolin serve did not start (it printed " + line + "); see " + log);
      }
      return new ServeProcess(process, stdin, line.substring(API_URI.length()).replaceAll("/$", ""));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start pangolin serve; see " + log, e);
    }
  }

  /** The REST API's base, a REST client's {@code uri}. */
  public String apiUri() {
    return apiUri;
  }

  /** rest-endpoint's runtime class path, its classes and its test classes (where the main is). */
  private static String classPath() throws IOException {
    String target = System.getProperty("pangolin.test.serve.target");
    if (target == null) {
      throw new IllegalStateException("System property pangolin.test.serve.target is not set: run the suite through "
          + "Maven (failsafe), which points it at rest-endpoint/target");
    }
    Path dir = Path.of(target).toAbsolutePath().normalize();
    Path file = dir.resolve("serve-runtime.classpath");
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException(file + " is missing: build rest-endpoint first (mvn -pl spark-tests/... -am)");
    }
    return String.join(File.pathSeparator, Files.readString(file).strip(), dir.resolve("classes").toString(),
        dir.resolve("test-classes").toString());
  }

  @Override
  public void close() throws InterruptedException {
    try {
      stdin.close();
    } catch (IOException e) {
      process.destroy();
    }
    process.waitFor();
  }
}
