package io.pangolin.admin;

import io.pangolin.security.MasterKeys;
import io.pangolin.security.SecretCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "key", description = "Keys for warehouse secrets: each tenant's own key, and the shared master key"
    + " of the time before keys per tenant.",
    subcommands = {KeyCommands.Generate.class, KeyCommands.Reseal.class, KeyCommands.Status.class})
final class KeyCommands {

  @Command(name = "generate", description = "Write a new random key (a tenant's key, or a master key) to a file"
      + " readable only by you; without --out, print it.")
  static final class Generate implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the key (default: print it)")
    Path out;

    Generate(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      if (out == null) {
        // The one place a key is printed: the operator asked for it, to put in a secret store.
        String key = SecretCipher.generateKey();
        ctx.out().println(key);
        ctx.err().println("A new key (key fingerprint " + SecretCipher.fromBase64(key).keyId() + "); keep it secret.");
        return PangolinCli.OK;
      }
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
      ctx.out().println("Wrote a new key to " + out + " (key id "
          + SecretCipher.fromBase64(Files.readString(out)).keyId() + ")");
      return PangolinCli.OK;
    }
  }

  @Command(name = "reseal", aliases = "rotate",
      description = "Seal every secret of a tenant's warehouses again with a new key of the tenant's, in one"
          + " transaction, and record the key's fingerprint: gives a tenant its own key (from the shared master key)"
          + " and rotates it. Run as one of the tenant's administrators.")
  static final class Reseal extends AdminCommand.OfTenant {
    @Option(names = "--from-key-file", paramLabel = "FILE", description = "The key the tenant's secrets are sealed"
        + " with now: its current key, or the shared master key (default: --master-key-file or PANGOLIN_MASTER_KEY)")
    String fromKeyFile;

    @Option(names = "--to-key-file", required = true, paramLabel = "FILE",
        description = "The tenant's new key ('pangolin key generate --out FILE')")
    String toKeyFile;

    Reseal(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      Optional<SecretCipher> from = fromKeyFile != null
          ? Optional.of(MasterKeys.file(fromKeyFile, "key")) : connection.masterKey(ctx);
      SecretCipher to = MasterKeys.file(toKeyFile, "key");
      int warehouses = admin.resealTenant(tenant, from, to);
      say("Re-sealed the secrets of " + warehouses + " warehouse(s) of tenant " + tenant + " with its key of"
          + " fingerprint " + to.keyId() + ". Give engines and administrators of " + tenant + " this key"
          + " (pangolin.tenant-key-file, --tenant-key-file or PANGOLIN_TENANT_KEY); the old key opens none of them.");
      return PangolinCli.OK;
    }
  }

  @Command(name = "status", description = "Each tenant you see, with its key's fingerprint, or that its secrets are"
      + " still sealed with the shared master key and need re-sealing.")
  static final class Status extends AdminCommand {
    Status(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      for (Map.Entry<String, String> e : admin.tenantKeys().entrySet()) {
        say(e.getKey() + "\t" + (e.getValue() != null ? "key=" + e.getValue()
            : "shared master key: needs re-seal ('pangolin key reseal --tenant " + e.getKey()
                + " --to-key-file FILE')"));
      }
      return PangolinCli.OK;
    }
  }
}
