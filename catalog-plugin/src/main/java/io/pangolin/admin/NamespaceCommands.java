package io.pangolin.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "namespace", description = "Inspect a catalog's namespaces.",
    subcommands = NamespaceCommands.List.class)
final class NamespaceCommands {

  @Command(name = "list", description = "List every namespace of a catalog, one per line, levels joined by '.'.")
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
      connection.admin(ctx).listNamespaces(tenant, catalog).forEach(ns -> ctx.out().println(String.join(".", ns)));
      return PangolinCli.OK;
    }
  }
}
