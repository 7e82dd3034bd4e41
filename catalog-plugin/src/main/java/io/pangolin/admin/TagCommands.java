package io.pangolin.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tag", description = "Tags of a catalog: the immutable state of every table at one moment.",
    subcommands = {TagCommands.Create.class, TagCommands.Delete.class})
final class TagCommands {

  @Command(name = "create", description = "Pin what a branch shows now (one row; no copy).")
  static final class Create extends BranchCommands.OfCatalog {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--from", defaultValue = "main", description = "Branch to pin; default main") String from;

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.createTag(tenant, catalog, name, from);
      say("Created tag " + name + " from " + from + where());
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a tag; no file is touched.")
  static final class Delete extends BranchCommands.OfCatalog {
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      return BranchCommands.deleted(this, admin.deleteRef(tenant, catalog, name, true), "tag", name);
    }
  }
}
