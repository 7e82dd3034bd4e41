package io.pangolin.admin;

import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.security.Keyring;
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
 * environment variable, never from the command line, where other users of the machine could see them. The
 * options naming the login's own password are declared by the subclasses, because {@code principal create} uses
 * {@code --password-*} for the new principal's password.
 */
class ConnectionTarget {

  @Option(names = "--uri", description = "PostgreSQL JDBC URL of the catalog database (default: $PANGOLIN_DB_URI)")
  String uri;

  @Option(names = "--user", description = "Database user (default: $PANGOLIN_DB_USER)")
  String user;

  @Option(names = "--master-key-file", paramLabel = "FILE",
      description = "File holding the base64 master key that encrypts warehouse secrets (default:"
          + " $PANGOLIN_MASTER_KEY_FILE); without either, the key itself is read from the environment variable"
          + " PANGOLIN_MASTER_KEY")
  String masterKeyFile;

  @Option(names = "--tenant-key-file", paramLabel = "FILE",
      description = "File holding the base64 key of the tenant worked on, which seals its warehouse secrets once it"
          + " has one ('pangolin key reseal'; default: $PANGOLIN_TENANT_KEY_FILE); without either, the key is read"
          + " from the environment variable PANGOLIN_TENANT_KEY")
  String tenantKeyFile;

  /** The file holding the login's password, or null; set by the subclass's option. */
  Path passwordFile;

  /** The environment variable the user named for the login's password, or null for the default. */
  String passwordEnv;

  private final String passwordEnvOption;
  private final String passwordFileOption;

  /** The options that name the login's password variable and file, for messages. */
  ConnectionTarget(String passwordEnvOption, String passwordFileOption) {
    this.passwordEnvOption = passwordEnvOption;
    this.passwordFileOption = passwordFileOption;
  }

  PangolinAdmin admin(CliContext ctx) {
    String url = uri != null ? uri : ctx.env().get("PANGOLIN_DB_URI");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("No catalog database given: pass --uri jdbc:postgresql://host:5432/db"
          + " or set PANGOLIN_DB_URI");
    }
    String who = user != null ? user : ctx.env().get("PANGOLIN_DB_USER");
    DatabaseLogin login = new DatabaseLogin(url, who, (user != null ? "--user" : "PANGOLIN_DB_USER") + " and "
        + passwordSource(), "run 'pangolin schema migrate'");
    return PangolinAdmin.connect(login, password(ctx), Keyring.of(masterKey(ctx), tenantKey(ctx)));
  }

  /** Where the password came from, for a refused login; never the password. */
  private String passwordSource() {
    if (passwordFile != null) {
      return "the password in " + passwordFile + " (" + passwordFileOption + ")";
    }
    return passwordEnv != null ? "the password in $" + passwordEnv + " (" + passwordEnvOption + ")"
        : "the password in $PANGOLIN_DB_PASSWORD (or give it with " + passwordEnvOption + "/" + passwordFileOption
            + ")";
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
      throw new IllegalArgumentException("The environment variable " + passwordEnv + " named by "
          + passwordEnvOption + " is not set");
    }
    return value == null || value.isEmpty() ? null : Secret.of(value);
  }

  Optional<SecretCipher> masterKey(CliContext ctx) {
    return MasterKeys.load(fileOrEnv(masterKeyFile, "PANGOLIN_MASTER_KEY_FILE", ctx), MasterKeys.DEFAULT_ENV,
        ctx.env());
  }

  Optional<SecretCipher> tenantKey(CliContext ctx) {
    return MasterKeys.load(fileOrEnv(tenantKeyFile, "PANGOLIN_TENANT_KEY_FILE", ctx), MasterKeys.TENANT_ENV,
        ctx.env());
  }

  /** An operator names key files once per shell, as engines name them once per catalog. */
  private static String fileOrEnv(String option, String variable, CliContext ctx) {
    String named = ctx.env().get(variable);
    return option != null ? option : named == null || named.isBlank() ? null : named;
  }
}
