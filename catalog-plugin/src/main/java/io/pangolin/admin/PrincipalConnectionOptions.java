package io.pangolin.admin;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The connection of {@code principal create}, whose --password-* options carry the new principal's password: the
 * administrator's own password comes from --db-password-env or --db-password-file (or PANGOLIN_DB_PASSWORD).
 */
final class PrincipalConnectionOptions extends ConnectionTarget {

  PrincipalConnectionOptions() {
    super("--db-password-env", "--db-password-file");
  }

  @Option(names = "--db-password-env", paramLabel = "VAR",
      description = "Environment variable holding your own database password (default: PANGOLIN_DB_PASSWORD)")
  void passwordEnv(String variable) {
    passwordEnv = variable;
  }

  @Option(names = "--db-password-file", paramLabel = "FILE", description = "File holding your own database password")
  void passwordFile(Path file) {
    passwordFile = file;
  }
}
