package io.pangolin.admin;

import io.pangolin.metastore.refs.RefStore.RefSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "branch", description = "Branches of a catalog: create, list, merge into their parent, delete.",
    subcommands = {BranchCommands.Create.class, BranchCommands.List.class, BranchCommands.Merge.class,
        BranchCommands.Delete.class})
final class BranchCommands {

  /** A command on the branches and tags of one catalog. */
  abstract static class OfCatalog extends AdminCommand.OfTenant {
    @Option(names = "--catalog", required = true, description = "The catalog whose branches and tags these are")
    String catalog;

    OfCatalog(CliContext ctx) {
      super(ctx);
    }

    String where() {
      return " in catalog " + tenant + "/" + catalog;
    }
  }

  @Command(name = "create", description = "Branch the whole catalog, or chosen namespaces, from a branch or tag (one"
      + " row; no copy).")
  static final class Create extends OfCatalog {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--from", defaultValue = "main", description = "Branch or tag to start from; default main")
    String from;
    @Option(names = "--namespace", paramLabel = "NS", description = "Branch only this namespace (levels joined with"
        + " '.'), its children and its tables; repeat for several; default: the whole catalog")
    java.util.List<String> namespaces = new java.util.ArrayList<>();

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.createBranch(tenant, catalog, name, from,
          namespaces.stream().map(ns -> java.util.List.of(ns.split("\\.", -1))).toList());
      say("Created branch " + name + " from " + from
          + (namespaces.isEmpty() ? "" : " of namespaces " + String.join(", ", namespaces)) + where());
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List a catalog's branches and tags with what they were made from.")
  static final class List extends OfCatalog {
    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      // Listed first, so that an unknown catalog prints no row before its error.
      java.util.List<RefSummary> refs = admin.listRefs(tenant, catalog);
      say("main\tbranch\t(default)");
      for (RefSummary r : refs) {
        say(r.name() + "\t" + (r.tag() ? "tag" : "branch") + "\tfrom=" + r.parent() + "\tcreated=" + r.createdAt()
            + "\tby=" + r.createdBy() + r.lastMergedAt().map(t -> "\tmerged=" + t).orElse("")
            + (r.namespaces().isEmpty() ? "" : "\tnamespaces=" + String.join(",",
                r.namespaces().stream().map(levels -> String.join(".", levels)).toList())));
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "merge", description = "Publish every change of a branch into its parent in one transaction;"
      + " refused, naming each conflicting table, when the parent changed it too.")
  static final class Merge extends OfCatalog {
    @Parameters(paramLabel = "BRANCH") String source;
    @Option(names = "--into", required = true, description = "The branch it was made from") String into;

    Merge(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.merge(tenant, catalog, source, into);
      say("Merged branch " + source + " into " + into + where());
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a branch; no file is touched.")
  static final class Delete extends OfCatalog {
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      return deleted(this, admin.deleteRef(tenant, catalog, name, false), "branch", name);
    }
  }

  static int deleted(OfCatalog command, boolean deleted, String kind, String name) {
    if (!deleted) {
      command.ctx.err().println("pangolin: no " + kind + " '" + name + "'" + command.where());
      return PangolinCli.NOT_FOUND;
    }
    command.say("Deleted " + kind + " " + name + command.where());
    return PangolinCli.OK;
  }
}
