package io.pangolin.admin;

import io.pangolin.metastore.CatalogStore.RelationSummary;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Read-only views of a catalog's contents, for operators. */
final class InspectCommands {

  private InspectCommands() {}

  @Command(name = "namespace", description = "Inspect a catalog's namespaces.",
      subcommands = ListNamespaces.class)
  static final class Namespaces {}

  @Command(name = "table", description = "Inspect a catalog's tables and views; restore dropped ones.",
      subcommands = {ListTables.class, GraveyardCommands.Undrop.class})
  static final class Tables {}

  @Command(name = "list", description = "List every namespace of a catalog, one per line, levels joined by '.'.")
  static final class ListNamespaces extends AdminCommand.OfTenant {
    @Option(names = "--catalog", required = true) String catalog;

    ListNamespaces(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.listNamespaces(tenant, catalog).forEach(ns -> say(String.join(".", ns)));
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List every table and view of a catalog with its current metadata file.")
  static final class ListTables extends AdminCommand.OfTenant {
    @Option(names = "--catalog", required = true) String catalog;
    @Option(names = "--dropped", description = "List the dropped ones that can still be restored instead")
    boolean dropped;
    @Option(names = "--ref", description = "With --dropped: what was dropped from this branch (default: main)")
    String ref;

    ListTables(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      if (dropped) {
        GraveyardCommands.printDropped(admin, tenant, catalog, ref == null ? "main" : ref, this::say);
        return PangolinCli.OK;
      }
      if (ref != null) {
        throw new IllegalArgumentException("Option --ref of 'table list' applies to --dropped only: the tables a"
            + " branch shows are listed by an engine opened with pangolin.ref=" + ref);
      }
      for (RelationSummary r : admin.listTables(tenant, catalog)) {
        say(String.join(".", r.namespace()) + "." + r.name() + "\t" + r.kind().toLowerCase(Locale.ROOT) + "\t"
            + r.metadataLocation());
      }
      return PangolinCli.OK;
    }
  }
}
