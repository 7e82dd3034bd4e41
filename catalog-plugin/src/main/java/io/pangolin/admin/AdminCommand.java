package io.pangolin.admin;

import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.TenantStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
}
