package io.pangolin.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "tenant", description = "Create, list and delete tenants; name their administrators.",
    subcommands = {TenantCommands.Create.class, TenantCommands.List.class, TenantCommands.Delete.class,
        TenantAdminCommands.class})
final class TenantCommands {

  @Command(name = "create", description = "Create a tenant.")
  static final class Create extends AdminCommand {
    @Parameters(paramLabel = "NAME") String name;

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.createTenant(name);
      say("Created tenant " + name);
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List tenants.")
  static final class List extends AdminCommand {
    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.listTenants().forEach(this::say);
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a tenant that has no warehouses or catalogs left.")
  static final class Delete extends AdminCommand {
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.deleteTenant(name);
      say("Deleted tenant " + name);
      return PangolinCli.OK;
    }
  }
}
