package io.pangolin.admin;

import io.pangolin.registry.StorageUpdate;
import io.pangolin.registry.TenantRegistry.NewWarehouse;
import io.pangolin.security.Secret;
import io.pangolin.security.SecretCipher;
import io.pangolin.warehouse.CredentialType;
import io.pangolin.warehouse.WarehouseCheck;
import io.pangolin.warehouse.WarehouseConfig;
import io.pangolin.warehouse.WarehouseSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "warehouse", description = "Warehouses: a storage root and the credentials to reach it.",
    subcommands = {
      WarehouseCommands.Create.class,
      WarehouseCommands.List.class,
      WarehouseCommands.Show.class,
      WarehouseCommands.Update.class,
      WarehouseCommands.SetCredentials.class,
      WarehouseCommands.Check.class,
      WarehouseCommands.Delete.class
    })
final class WarehouseCommands {

  /** The storage settings a warehouse row holds (see WarehouseSettings for their meaning). */
  static final class StorageOptions {
    @Option(names = "--endpoint", description = "S3 endpoint URL (S3-compatible stores)") String endpoint;
    @Option(names = "--region", description = "Signing region (default us-east-1)") String region;
    @Option(names = "--path-style-access", description = "Address buckets as endpoint/bucket") Boolean pathStyle;
    @Option(names = "--checksum-mode", description = "when-supported (AWS default) or when-required")
    String checksumMode;
    @Option(names = "--setting", paramLabel = "KEY=VALUE",
        description = "Add or replace one setting, e.g. fileio.s3.sse.type=s3 (repeatable)")
    Map<String, String> extra = new LinkedHashMap<>();
    @Option(names = "--secret-setting", paramLabel = "KEY=SOURCE",
        description = "A setting whose value is a secret (fileio.s3.sse.key), read from SOURCE: env:VAR, file:PATH"
            + " or stdin; stored encrypted, never taken from the command line")
    Map<String, String> secret = new LinkedHashMap<>();
    @Option(names = "--allowed-location", paramLabel = "PREFIX",
        description = "A location outside the root that tables may use (repeatable)")
    java.util.List<String> allowed = new ArrayList<>();

    /** The settings with the values of secret settings read from where --secret-setting says. */
    Map<String, String> settings(CliContext ctx) {
      extra.keySet().stream().filter(WarehouseSettings::isSecret).findFirst().ifPresent(key -> {
        throw new IllegalArgumentException("Setting '" + key + "' is a secret and is never taken from the command"
            + " line: give it with --secret-setting " + key + "=env:VAR (or =file:PATH, or =stdin)");
      });
      Map<String, String> out = settings();
      out.putAll(SecretInput.readSettings(ctx, secret));
      return out;
    }

    Map<String, String> settings() {
      Map<String, String> out = new LinkedHashMap<>(extra);
      put(out, WarehouseSettings.ENDPOINT, endpoint);
      put(out, WarehouseSettings.REGION, region);
      put(out, WarehouseSettings.PATH_STYLE_ACCESS, pathStyle == null ? null : pathStyle.toString());
      put(out, WarehouseSettings.CHECKSUM_MODE, checksumMode);
      return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
      if (value != null) {
        out.put(key, value);
      }
    }
  }

  /** How the warehouse authenticates; the secret never comes from the command line. */
  static final class CredentialOptions {
    @Option(names = "--credentials", required = true, paramLabel = "TYPE",
        description = "static (this warehouse's own keys), engine-identity (the engine's own identity, by explicit"
            + " choice) or none (file: roots only)")
    String type;
    @Option(names = "--access-key-id", paramLabel = "ID",
        description = "Access key id of static credentials (not secret; the secret comes from --secret-*)")
    String accessKeyId;
    @ArgGroup(exclusive = false) SecretInput secret = new SecretInput();

    CredentialType credentialType() {
      return CredentialType.fromCode(type);
    }

    Secret secret(CliContext ctx) {
      return secret != null && secret.given() ? secret.read(ctx) : null;
    }
  }

  @Command(name = "create", description = "Create a warehouse.")
  static final class Create extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--root", required = true, description = "s3://bucket/prefix or file:/path") String root;
    @ArgGroup(exclusive = false) StorageOptions storage = new StorageOptions();
    @ArgGroup(exclusive = false, multiplicity = "1") CredentialOptions credentials;

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.createWarehouse(new NewWarehouse(tenant, name, root, storage.allowed, storage.settings(ctx),
          credentials.credentialType(), credentials.accessKeyId, credentials.secret(ctx)));
      say("Created warehouse " + tenant + "/" + name + " at " + root);
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List a tenant's warehouses.")
  static final class List extends AdminCommand.OfTenant {

    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      for (WarehouseConfig w : admin.listWarehouses(tenant)) {
        say(w.name() + "\t" + w.storageRoot() + "\t" + w.credentialType().code());
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "show", description = "Show a warehouse; secrets are masked.")
  static final class Show extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;

    Show(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      WarehouseConfig w = admin.warehouse(tenant, name);
      say("name: " + w.qualifiedName());
      say("root: " + w.storageRoot());
      say("allowed locations: " + w.allowedLocations());
      say("settings: " + WarehouseSettings.masked(w.settings()));
      w.secretSettings().keySet().forEach(key -> say("secret setting " + key + ": *** ("
          + (SecretCipher.isEncrypted(w.settings().get(key)) ? "stored encrypted"
              : "stored in clear by an older version; store it again with --secret-setting to encrypt it") + ")"));
      say("credentials: " + w.credentialType().code());
      if (w.accessKeyId() != null) {
        say("access key id: " + w.accessKeyId());
        say("secret access key: *** (stored encrypted)");
      }
      say("configuration version: " + w.configVersion());
      return PangolinCli.OK;
    }
  }

  @Command(name = "update", description = "Change the storage settings and allowed locations named; every other"
      + " setting stays as it is (see 'warehouse show').")
  static final class Update extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;
    @ArgGroup(exclusive = false) StorageOptions storage = new StorageOptions();
    @Option(names = "--unset", paramLabel = "KEY", description = "Remove one setting, e.g. endpoint (repeatable)")
    java.util.List<String> unset = new ArrayList<>();
    @Option(names = "--remove-allowed-location", paramLabel = "PREFIX",
        description = "Remove one allowed location (repeatable)")
    java.util.List<String> removeAllowed = new ArrayList<>();

    Update(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      // Read once: a secret setting may come from standard input.
      Map<String, String> settings = storage.settings(ctx);
      admin.updateWarehouse(tenant, name, new StorageUpdate(settings, Set.copyOf(unset), storage.allowed, removeAllowed));
      // Names only what changed, never values: 'show' is the place that knows how to mask them.
      java.util.List<String> changed = new ArrayList<>(settings.keySet());
      changed.addAll(unset);
      say("Updated warehouse " + tenant + "/" + name + (changed.isEmpty() ? "" : " (settings " + changed + ")")
          + "; see 'pangolin warehouse show --tenant " + tenant + " " + name + "'");
      return PangolinCli.OK;
    }
  }

  @Command(name = "set-credentials", description = "Rotate or change a warehouse's credentials.")
  static final class SetCredentials extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;
    @ArgGroup(exclusive = false, multiplicity = "1") CredentialOptions credentials;

    SetCredentials(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.setCredentials(tenant, name, credentials.credentialType(), credentials.accessKeyId,
          credentials.secret(ctx));
      say("Set credentials of warehouse " + tenant + "/" + name);
      return PangolinCli.OK;
    }
  }

  @Command(name = "check", description = "Write, read and delete a probe object under the root with the"
      + " warehouse's own credentials, and say plainly what failed.")
  static final class Check extends AdminCommand.OnStorage {
    @Parameters(paramLabel = "NAME") String name;

    Check(CliContext ctx) {
      super(ctx);
    }

    @Override
    String rerun() {
      return "warehouse check --tenant " + tenant + " " + name;
    }

    @Override
    int runOnStorage(PangolinAdmin admin) {
      WarehouseCheck.Result result = admin.checkWarehouse(tenant, name);
      result.steps().forEach(step -> say("ok: " + step));
      if (result.ok()) {
        say("Warehouse " + result.warehouse() + " works.");
        return PangolinCli.OK;
      }
      say("FAILED: " + result.problem());
      say("  " + result.detail());
      if (result.fix() != null) {
        say("  fix: " + result.fix());
      }
      return PangolinCli.CHECK_FAILED;
    }
  }

  @Command(name = "delete", description = "Delete a warehouse that no catalog uses.")
  static final class Delete extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.deleteWarehouse(tenant, name);
      say("Deleted warehouse " + tenant + "/" + name);
      return PangolinCli.OK;
    }
  }
}
