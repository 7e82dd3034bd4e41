package io.pangolin.admin;

import io.pangolin.security.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where a warehouse's secret access key comes from: standard input, a file or a named environment variable. */
final class SecretInput {

  @Option(names = "--secret-stdin", description = "Read the secret access key from the first line of standard input")
  boolean stdin;

  @Option(names = "--secret-file", paramLabel = "FILE", description = "Read the secret access key from a file")
  Path file;

  @Option(names = "--secret-env", paramLabel = "VAR",
      description = "Read the secret access key from this environment variable")
  String env;

  boolean given() {
    return stdin || file != null || env != null;
  }

  Secret read(CliContext ctx) {
    int sources = (stdin ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
    if (sources != 1) {
      throw new IllegalArgumentException("Give the secret access key exactly one way: --secret-stdin,"
          + " --secret-file FILE or --secret-env VAR (never on the command line)");
    }
    return read(ctx, "the secret access key", stdin, file, env, "--secret-env");
  }

  /**
   * Reads the values of secret settings given as KEY=SOURCE, where SOURCE is env:VAR, file:PATH or stdin (one
   * line per key, in the order given). The value itself is never accepted on the command line.
   */
  static Map<String, String> readSettings(CliContext ctx, Map<String, String> sources) {
    if (sources.values().stream().filter("stdin"::equals).count() > 1) {
      throw new IllegalArgumentException("Standard input carries one secret; give the others with env:VAR or"
          + " file:PATH");
    }
    Map<String, String> out = new LinkedHashMap<>();
    sources.forEach((key, source) -> {
      String what = "the value of secret setting '" + key + "'";
      Secret value;
      if (source.equals("stdin")) {
        value = read(ctx, what, true, null, null, null);
      } else if (source.startsWith("file:")) {
        value = read(ctx, what, false, Path.of(source.substring("file:".length())), null, null);
      } else if (source.startsWith("env:")) {
        value = read(ctx, what, false, null, source.substring("env:".length()), "--secret-setting " + key);
      } else {
        throw new IllegalArgumentException("Give " + what + " as --secret-setting " + key + "=env:VAR, "
            + key + "=file:PATH or " + key + "=stdin; the value itself is never taken from the command line");
      }
      out.put(key, value.reveal());
    });
    return out;
  }

  static Secret read(CliContext ctx, String what, boolean stdin, Path file, String env, String envOption) {
    String value;
    try {
      if (stdin) {
        value = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
      } else if (file != null) {
        value = Files.readString(file);
      } else {
        value = ctx.env().get(env);
        if (value == null) {
          throw new IllegalArgumentException("The environment variable " + env + " named by " + envOption
              + " is not set");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + what + ": " + e.getMessage());
    }
    if (value == null || value.strip().isEmpty()) {
      throw new IllegalArgumentException(capitalized(what) + " given is empty");
    }
    return Secret.of(value.strip());
  }

  private static String capitalized(String text) {
    return Character.toUpperCase(text.charAt(0)) + text.substring(1);
  }
}
