package io.pangolin.admin;

import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.TenantStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A command that works on the catalog database: connects, runs, returns its exit code. */
abstract class AdminCommand implements Callable<Integer> {

  final CliContext ctx;

  @Mixin ConnectionOptions connection;

  AdminCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public final Integer call() {
    PangolinAdmin admin = connection.admin(ctx);
    tenantOption().ifPresent(tenant -> requireTenant(admin, tenant));
    return run(admin);
  }

  abstract int run(PangolinAdmin admin);

  /** The tenant given with --tenant, if the command takes one. */
  Optional<String> tenantOption() {
    return Optional.empty();
  }

  /**
   * Fails, naming the option, when the login does not see the tenant given with --tenant: one check before any
   * command runs, because each command would otherwise fail its own way (an empty list, an unknown catalog, a
   * refusal) or, worse, in the words meant for engines.
   */
  private static void requireTenant(PangolinAdmin admin, String tenant) {
    TenantStore.Lookup lookup = admin.lookUpTenant(tenant);
    if (!lookup.seen()) {
      throw new NoSuchObjectException("Tenant '" + tenant + "' given by --tenant does not exist" + (lookup.seesAll()
          ? "; 'pangolin tenant list' shows the tenants"
          : ", or login '" + lookup.principal() + "' holds no privilege in it; 'pangolin tenant list' shows the"
              + " tenants it sees"));
    }
  }

  void say(String line) {
    ctx.out().println(line);
  }

  /** A command on one tenant's objects. */
  abstract static class OfTenant extends AdminCommand {
    @Option(names = "--tenant", required = true, description = "The tenant that owns the object")
    String tenant;

    OfTenant(CliContext ctx) {
      super(ctx);
    }

    @Override
    Optional<String> tenantOption() {
      return Optional.of(tenant);
    }
  }

  /**
   * A command that reads or writes a warehouse's storage through Iceberg's FileIO and the AWS SDK, which the plugin
   * jar does not carry: before it does anything it checks that the engine jars are on the class path, and says
   * which are missing, where they go and how to get them when they are not (exit code 6). Every other command
   * talks to the database only and needs none of them.
   */
  abstract static class OnStorage extends OfTenant {
    @Spec CommandSpec spec;

    OnStorage(CliContext ctx) {
      super(ctx);
    }

    @Override
    final int run(PangolinAdmin admin) {
      String name = spec.qualifiedName();
      ctx.engineJars().require(name, rerun());
      try {
        return runOnStorage(admin);
      } catch (NoClassDefFoundError e) {
        throw ctx.engineJars().missingWhileRunning(e, name, rerun());
      }
    }

    /** The command's work, with the engine jars on the class path. */
    abstract int runOnStorage(PangolinAdmin admin);

    /** The subcommand and its arguments as the operator runs it again with the engine jars (never a secret). */
    abstract String rerun();
  }
}
