package io.pangolin.admin;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The connection of every command but {@code principal create}: the login's password by --password-env/-file. */
final class ConnectionOptions extends ConnectionTarget {

  ConnectionOptions() {
    super("--password-env", "--password-file");
  }

  @Option(names = {"--password-env", "--db-password-env"}, paramLabel = "VAR",
      description = "Environment variable holding the database password (default: PANGOLIN_DB_PASSWORD)")
  void passwordEnv(String variable) {
    passwordEnv = variable;
  }

  @Option(names = {"--password-file", "--db-password-file"}, paramLabel = "FILE",
      description = "File holding the database password")
  void passwordFile(Path file) {
    passwordFile = file;
  }
}
