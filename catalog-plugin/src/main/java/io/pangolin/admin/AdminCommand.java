package io.pangolin.admin;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command that works on the catalog database: connects, runs, returns its exit code. */
abstract class AdminCommand implements Callable<Integer> {

  final CliContext ctx;

  @Mixin ConnectionOptions connection;

  AdminCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public final Integer call() {
    return run(connection.admin(ctx));
  }

  abstract int run(PangolinAdmin admin);

  void say(String line) {
    ctx.out().println(line);
  }

  /** A command on one tenant's objects. */
  abstract static class OfTenant extends AdminCommand {
    @Option(names = "--tenant", required = true, description = "The tenant that owns the object")
    String tenant;

    OfTenant(CliContext ctx) {
      super(ctx);
    }
  }
}
