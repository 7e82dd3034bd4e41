package io.pangolin.admin;

import io.pangolin.store.TenantStore.CatalogSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", description = "Catalogs: a tenant's named catalog, bound to one warehouse.",
    subcommands = {CatalogCommands.Create.class, CatalogCommands.List.class, CatalogCommands.Delete.class})
final class CatalogCommands {

  @Command(name = "create", description = "Create a catalog on a warehouse.")
  static final class Create implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Option(names = "--tenant", required = true) String tenant;
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--warehouse", required = true) String warehouse;
    @Option(names = "--jdbc-name", description = "Name JDBC-catalog readers (Trino, PyIceberg) use;"
        + " default <tenant>_<catalog>")
    String jdbcName;

    Create(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      connection.admin(ctx).createCatalog(tenant, name, warehouse, jdbcName);
      ctx.out().println("Created catalog " + tenant + "/" + name + " on warehouse " + warehouse);
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List a tenant's catalogs.")
  static final class List implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Option(names = "--tenant", required = true) String tenant;

    List(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      for (CatalogSummary c : connection.admin(ctx).listCatalogs(tenant)) {
        ctx.out().println(c.name() + "\twarehouse=" + c.warehouse() + "\tjdbc-name=" + c.jdbcName());
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a catalog that has no namespaces left.")
  static final class Delete implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Option(names = "--tenant", required = true) String tenant;
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      connection.admin(ctx).deleteCatalog(tenant, name);
      ctx.out().println("Deleted catalog " + tenant + "/" + name);
      return PangolinCli.OK;
    }
  }
}
