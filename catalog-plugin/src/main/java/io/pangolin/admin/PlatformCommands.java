package io.pangolin.admin;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "platform", description = "Platform-wide storage settings (platform administrators and superusers).",
    subcommands = {PlatformCommands.SetFileRoot.class, PlatformCommands.ClearFileRoot.class,
        PlatformCommands.Show.class})
final class PlatformCommands {

  @Command(name = "set-file-root", description = "Allow file: warehouses, but only under PREFIX (file:/absolute/path)."
      + " Warehouses made before keep their locations.")
  static final class SetFileRoot extends AdminCommand {
    @Parameters(paramLabel = "PREFIX") String prefix;

    SetFileRoot(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      say("file: warehouses may now be created under " + admin.setFileRoot(prefix).orElse(prefix));
      return PangolinCli.OK;
    }
  }

  @Command(name = "clear-file-root", description = "Allow no new file: warehouse location.")
  static final class ClearFileRoot extends AdminCommand {
    ClearFileRoot(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.setFileRoot(null);
      say("No new file: warehouse location is allowed");
      return PangolinCli.OK;
    }
  }

  @Command(name = "show", description = "Show the platform's storage settings.")
  static final class Show extends AdminCommand {
    Show(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      say("file-root: " + admin.fileRoot().orElse("(none: no new file: warehouse location is allowed)"));
      return PangolinCli.OK;
    }
  }
}
