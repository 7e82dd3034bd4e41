package io.pangolin.serve.testing;

import io.pangolin.serve.DatabaseSettings;
import io.pangolin.serve.PangolinServe;
import io.pangolin.serve.http.ServeSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The endpoint in a JVM of its own for engine tests whose class path cannot hold it (spark-tests): arguments are
 * the JDBC URL, the endpoint's login and the master key file; the login's password is the first line of standard
 * input, so that it never shows in a process list. Binds free ports, prints {@value #API_URI} and the REST API's
 * base on one line, and serves until standard input closes, which it does when the test's JVM ends however it ends.
 */
public final class ServeProcessMain {

  public static final String API_URI = "api-uri ";

  private ServeProcessMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: ServeProcessMain JDBC_URL LOGIN MASTER_KEY_FILE < password");
    }
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String password = in.readLine();
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("No password on standard input for login " + args[1]);
    }
    DatabaseSettings database = new DatabaseSettings(args[0], args[1], password, Path.of(args[2]), Optional.empty());
    try (PangolinServe serve = PangolinServe.start(database, ServeSettings.defaults().withPorts(0, 0))) {
      System.out.println(API_URI + serve.apiUri());
      System.out.flush();
      while (in.read() >= 0) {
        // Nothing more is sent: the stream only tells when the test has gone.
      }
    }
  }
}
