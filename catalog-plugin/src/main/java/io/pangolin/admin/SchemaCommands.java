package io.pangolin.admin;

import picocli.CommandLine.Command;

@Command(name = "schema", description = "Migrate the catalog database or show its schema version.",
    subcommands = {SchemaCommands.Migrate.class, SchemaCommands.Version.class})
final class SchemaCommands {

  @Command(name = "migrate", description = "Apply pending schema migrations.")
  static final class Migrate extends AdminCommand {
    Migrate(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      say("Schema is at version " + admin.migrate());
      return PangolinCli.OK;
    }
  }

  @Command(name = "version", description = "Show the schema version of the database and of this build.")
  static final class Version extends AdminCommand {
    Version(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      say("database: " + admin.schemaVersion().orElse("none"));
      say("this build: " + admin.latestSchemaVersion());
      return PangolinCli.OK;
    }
  }
}
