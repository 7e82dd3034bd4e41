package io.pangolin.admin;

import io.pangolin.metastore.access.PrincipalBounds;
import io.pangolin.metastore.access.PrincipalInfo;
import io.pangolin.security.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "principal", description = "Create, list and drop principals: the PostgreSQL roles engines and"
    + " people log in as, and groups of them.",
    subcommands = {PrincipalCommands.Create.class, PrincipalCommands.List.class, PrincipalCommands.Show.class,
        PrincipalCommands.Bounds.class, PrincipalCommands.Drop.class})
final class PrincipalCommands {

  @Command(name = "create", description = {"Create a login role in pangolin_principal (or a group, a platform"
      + " administrator, or adopt an existing role).",
      "Its password is read from standard input, a file or an environment variable, never from the command line,"
          + " and only its SCRAM verifier is sent to the server. Without one, the login authenticates some other"
          + " way (certificate, cloud IAM).",
      "A login, created or adopted, gets bounds on its sessions (ALTER ROLE ... SET): statement_timeout 1min,"
          + " lock_timeout 10s, idle_in_transaction_session_timeout 5min, temp_file_limit 1GB, unless the options"
          + " below say otherwise. A bound that could not be set (from PostgreSQL 16, on an adopted role that"
          + " pangolin_role_admin was not given ADMIN OPTION on) is named on stderr with the statement that sets it.",
      "A platform administrator (made by a superuser) holds no CREATEROLE: principals are made through the"
          + " functions of pangolin_role_admin, each with an audit row.",
      "Your own database password: --db-password-env VAR or --db-password-file FILE (default $PANGOLIN_DB_PASSWORD)."})
  static final class Create implements Callable<Integer> {
    private final CliContext ctx;

    @Mixin PrincipalConnectionOptions connection;

    @Parameters(paramLabel = "NAME", description = "Role name, exactly as the login will spell it (case-sensitive)")
    String name;

    @Option(names = "--password-stdin", description = "Read the principal's password from the first line of stdin")
    boolean passwordStdin;

    @Option(names = "--password-file", paramLabel = "FILE", description = "Read the principal's password from a file")
    Path passwordFile;

    @Option(names = "--password-env", paramLabel = "VAR",
        description = "Read the principal's password from this environment variable")
    String passwordEnv;

    @Option(names = "--group", description = "A group: no login; grants to it reach its members")
    boolean group;

    @Option(names = "--platform-admin", description = "A platform administrator: creates tenants, names their"
        + " administrators and manages principals, but reads no data")
    boolean platformAdmin;

    @Option(names = "--existing", description = "Adopt a role that already exists (for example one made by a cloud"
        + " provider's IAM integration) as a principal")
    boolean existing;

    @Option(names = "--member-of", paramLabel = "GROUP", description = "Add the principal to this group (repeatable)")
    java.util.List<String> memberOf = new ArrayList<>();

    @Mixin BoundsOptions bounds;

    Create(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      int kinds = (group ? 1 : 0) + (platformAdmin ? 1 : 0) + (existing ? 1 : 0);
      if (kinds > 1) {
        throw new IllegalArgumentException("Give at most one of --group, --platform-admin and --existing");
      }
      if ((group || platformAdmin) && bounds.given()) {
        throw new IllegalArgumentException("Bounds are for principals that log in to engines: leave out"
            + " --statement-timeout, --lock-timeout, --idle-in-transaction-timeout and --temp-file-limit with "
            + (group ? "--group (a role's settings do not reach its members)" : "--platform-admin"));
      }
      PrincipalBounds limits = bounds.over(PrincipalBounds.DEFAULTS);
      Optional<Secret> password = password();
      if (password.isPresent() && (group || existing)) {
        throw new IllegalArgumentException((group ? "A group does not log in" : "An adopted role keeps how it logs in")
            + ": leave out --password-stdin, --password-file and --password-env");
      }
      PangolinAdmin admin = connection.admin(ctx);
      Optional<PrincipalBounds.Applied> applied = Optional.empty();
      if (group) {
        admin.createGroup(name);
      } else if (existing) {
        applied = Optional.of(admin.adoptPrincipal(name, limits));
      } else if (platformAdmin) {
        admin.createPlatformAdmin(name, password);
      } else {
        applied = Optional.of(admin.createPrincipal(name, password, limits));
      }
      for (String g : memberOf) {
        admin.addMember(g, name);
      }
      ctx.out().println((existing ? "Adopted " : "Created ") + (group ? "group " : platformAdmin
          ? "platform administrator " : "principal ") + name + (password.isPresent() ? " with a password" : "")
          + (memberOf.isEmpty() ? "" : ", member of " + String.join(", ", memberOf)));
      applied.ifPresent(a -> BoundsOptions.report(ctx, name, a));
      return PangolinCli.OK;
    }

    private Optional<Secret> password() {
      int sources = (passwordStdin ? 1 : 0) + (passwordFile != null ? 1 : 0) + (passwordEnv != null ? 1 : 0);
      if (sources > 1) {
        throw new IllegalArgumentException("Give the password at most one way: --password-stdin, --password-file FILE"
            + " or --password-env VAR (never on the command line)");
      }
      if (sources == 0) {
        return Optional.empty();
      }
      return Optional.of(SecretInput.read(ctx, "the password of principal '" + name + "'", passwordStdin,
          passwordFile, passwordEnv, "--password-env"));
    }
  }

  @Command(name = "list", description = "List principals and groups: login or group, platform administrator,"
      + " groups it belongs to, tenants it administers.")
  static final class List extends AdminCommand {
    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      for (PrincipalInfo p : admin.listPrincipals()) {
        say(p.name() + "\t" + (p.login() ? "login" : "group") + (p.platformAdmin() ? "\tplatform-admin" : "")
            + "\tmember-of=" + String.join(",", p.memberOf()) + "\ttenant-admin-of=" + String.join(",",
            p.tenantAdminOf()));
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "show", description = {"Show what a principal's sessions start with in this database: its bounds"
      + " and any other setting made with ALTER ROLE, one parameter=value per line.",
      "A bound not listed is not set on the role, so the database's or server's setting applies."})
  static final class Show extends AdminCommand {
    @Parameters(paramLabel = "NAME") String name;

    Show(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      Map<String, String> settings = admin.roleSettings(name);
      for (String bound : PrincipalBounds.PARAMETERS) {
        say(bound + "=" + settings.getOrDefault(bound, "(not set)"));
      }
      settings.forEach((parameter, value) -> {
        if (!PrincipalBounds.PARAMETERS.contains(parameter)) {
          say(parameter + "=" + value);
        }
      });
      return PangolinCli.OK;
    }
  }

  @Command(name = "bounds", description = "Change the bounds of an existing principal (one made before bounds"
      + " existed, or one that needs other limits): only the bounds given are set. They apply from its next login.")
  static final class Bounds extends AdminCommand {
    @Parameters(paramLabel = "NAME") String name;

    @Mixin BoundsOptions bounds;

    Bounds(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      if (!bounds.given()) {
        throw new IllegalArgumentException("Give at least one of --statement-timeout, --lock-timeout,"
            + " --idle-in-transaction-timeout and --temp-file-limit");
      }
      BoundsOptions.report(ctx, name, admin.setBounds(name, bounds.over(PrincipalBounds.NONE)));
      return PangolinCli.OK;
    }
  }

  @Command(name = "drop", description = "Drop a principal with its grants and tenant administrator rows, in one"
      + " transaction (so a role made later under the same name starts with nothing).")
  static final class Drop extends AdminCommand {
    @Parameters(paramLabel = "NAME") String name;

    Drop(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.dropPrincipal(name);
      say("Dropped principal " + name);
      return PangolinCli.OK;
    }
  }
}
