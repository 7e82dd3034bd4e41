package io.pangolin.admin;

import io.pangolin.security.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "key", description = "Master keys for warehouse secrets.", subcommands = KeyCommands.Generate.class)
final class KeyCommands {

  @Command(name = "generate", description = "Write a new random master key to a file readable only by you.")
  static final class Generate implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the key")
    Path out;

    Generate(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      if (Files.exists(out)) {
        throw new IllegalArgumentException("Refusing to overwrite " + out + ": a key that secrets were stored with"
            + " would be lost. Choose another file.");
      }
      Files.writeString(out, SecretCipher.generateKey(), StandardOpenOption.CREATE_NEW);
      try {
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system; the operator protects the file.
      }
      ctx.out().println("Wrote a new master key to " + out + " (key id "
          + SecretCipher.fromBase64(Files.readString(out)).keyId() + ")");
      return PangolinCli.OK;
    }
  }
}
