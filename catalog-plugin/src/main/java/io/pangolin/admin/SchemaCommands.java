package io.pangolin.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "schema", description = "Migrate the catalog database or show its schema version.",
    subcommands = {SchemaCommands.Migrate.class, SchemaCommands.Version.class})
final class SchemaCommands {

  @Command(name = "migrate", description = "Apply pending schema migrations.")
  static final class Migrate implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;

    Migrate(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      String version = connection.admin(ctx).migrate();
      ctx.out().println("Schema is at version " + version);
      return PangolinCli.OK;
    }
  }

  @Command(name = "version", description = "Show the schema version of the database and of this build.")
  static final class Version implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin ConnectionOptions connection;

    Version(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      PangolinAdmin admin = connection.admin(ctx);
      String current = admin.schemaVersion().orElse("none");
      ctx.out().println("database: " + current);
      ctx.out().println("this build: " + admin.latestSchemaVersion());
      return PangolinCli.OK;
    }
  }
}
