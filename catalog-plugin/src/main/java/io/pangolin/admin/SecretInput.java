package io.pangolin.admin;

import io.pangolin.security.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    String value;
    try {
      if (stdin) {
        value = new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
      } else if (file != null) {
        value = Files.readString(file);
      } else {
        value = ctx.env().get(env);
        if (value == null) {
          throw new IllegalArgumentException("The environment variable " + env + " named by --secret-env is not set");
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the secret access key: " + e.getMessage());
    }
    if (value == null || value.strip().isEmpty()) {
      throw new IllegalArgumentException("The secret access key given is empty");
    }
    return Secret.of(value.strip());
  }
}
