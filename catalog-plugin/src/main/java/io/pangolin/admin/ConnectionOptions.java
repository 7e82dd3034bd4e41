package io.pangolin.admin;

import io.pangolin.security.MasterKeys;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How a command reaches the catalog database and the master key. Passwords and keys are read from a file or an
 * environment variable, never from the command line, where other users of the machine could see them.
 */
final class ConnectionOptions {

  @Option(names = "--uri", description = "PostgreSQL JDBC URL of the catalog database (default: $PANGOLIN_DB_URI)")
  String uri;

  @Option(names = "--user", description = "Database user (default: $PANGOLIN_DB_USER)")
  String user;

  @Option(names = "--password-env", paramLabel = "VAR",
      description = "Environment variable holding the database password (default: PANGOLIN_DB_PASSWORD)")
  String passwordEnv;

  @Option(names = "--password-file", paramLabel = "FILE", description = "File holding the database password")
  Path passwordFile;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "File holding the base64 master key that encrypts warehouse secrets; without it, the key itself"
          + " is read from the environment variable PANGOLIN_MASTER_KEY")
  String masterKeyFile;

  PangolinAdmin admin(CliContext ctx) {
    String url = uri != null ? uri : ctx.env().get("PANGOLIN_DB_URI");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("No catalog database given: pass --uri jdbc:postgresql://host:5432/db"
          + " or set PANGOLIN_DB_URI");
    }
    String who = user != null ? user : ctx.env().get("PANGOLIN_DB_USER");
    return PangolinAdmin.connect(url, who, password(ctx), masterKey(ctx));
  }

  private Secret password(CliContext ctx) {
    if (passwordFile != null) {
      try {
        return Secret.of(Files.readString(passwordFile).strip());
      } catch (IOException e) {
        throw new IllegalArgumentException("Cannot read the password file " + passwordFile + ": " + e.getMessage());
      }
    }
    String variable = passwordEnv != null ? passwordEnv : "PANGOLIN_DB_PASSWORD";
    String value = ctx.env().get(variable);
    if (value == null && passwordEnv != null) {
      throw new IllegalArgumentException("The environment variable " + passwordEnv + " named by --password-env"
          + " is not set");
    }
    return value == null || value.isEmpty() ? null : Secret.of(value);
  }

  Optional<SecretCipher> masterKey(CliContext ctx) {
    return MasterKeys.load(masterKeyFile, MasterKeys.DEFAULT_ENV, ctx.env());
  }
}
