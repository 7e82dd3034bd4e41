package io.pangolin.admin;

import io.pangolin.store.TenantStore.RelationSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "table", description = "Inspect a catalog's tables and views.", subcommands = TableCommands.List.class)
final class TableCommands {

  @Command(name = "list", description = "List every table and view of a catalog with its current metadata file.")
  static final class List implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;
    @Option(names = "--tenant", required = true) String tenant;
    @Option(names = "--catalog", required = true) String catalog;

    List(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      for (RelationSummary r : connection.admin(ctx).listTables(tenant, catalog)) {
        ctx.out().println(String.join(".", r.namespace()) + "." + r.name() + "\t" + r.kind().toLowerCase()
            + "\t" + r.metadataLocation());
      }
      return PangolinCli.OK;
    }
  }
}
