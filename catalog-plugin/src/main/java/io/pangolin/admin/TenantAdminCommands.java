package io.pangolin.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "admin", description = "Name or remove a tenant's administrators (platform administrators only).",
    subcommands = {TenantAdminCommands.Add.class, TenantAdminCommands.Remove.class})
final class TenantAdminCommands {

  @Command(name = "add", description = "Name a principal or group administrator of the tenant: it then holds every"
      + " privilege on the tenant's catalogs and manages its warehouses, catalogs and grants.")
  static final class Add extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "ROLE") String role;

    Add(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.addTenantAdmin(tenant, role);
      say("Named " + role + " administrator of tenant " + tenant);
      return PangolinCli.OK;
    }
  }

  @Command(name = "remove", description = "Remove an administrator of the tenant.")
  static final class Remove extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "ROLE") String role;

    Remove(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.removeTenantAdmin(tenant, role);
      say("Removed " + role + " as administrator of tenant " + tenant);
      return PangolinCli.OK;
    }
  }
}
