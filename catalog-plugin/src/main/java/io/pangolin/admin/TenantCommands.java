package io.pangolin.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "tenant", description = "Create, list and delete tenants.",
    subcommands = {TenantCommands.Create.class, TenantCommands.List.class, TenantCommands.Delete.class})
final class TenantCommands {

  @Command(name = "create", description = "Create a tenant.")
  static final class Create implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Parameters(paramLabel = "NAME") String name;

    Create(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      connection.admin(ctx).createTenant(name);
      ctx.out().println("Created tenant " + name);
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List tenants.")
  static final class List implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;

    List(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      connection.admin(ctx).listTenants().forEach(ctx.out()::println);
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a tenant that has no warehouses or catalogs left.")
  static final class Delete implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      connection.admin(ctx).deleteTenant(name);
      ctx.out().println("Deleted tenant " + name);
      return PangolinCli.OK;
    }
  }
}
