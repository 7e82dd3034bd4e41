package io.pangolin.admin;

import io.pangolin.metastore.PrincipalInfo;
import io.pangolin.security.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "principal", description = "Create, list and drop principals: the PostgreSQL roles engines and"
    + " people log in as, and groups of them.",
    subcommands = {PrincipalCommands.Create.class, PrincipalCommands.List.class, PrincipalCommands.Drop.class})
final class PrincipalCommands {

  @Command(name = "create", description = {"Create a login role in pangolin_principal (or a group, a platform"
      + " administrator, or adopt an existing role).",
      "Its password is read from standard input, a file or an environment variable, never from the command line,"
          + " and only its SCRAM verifier is sent to the server. Without one, the login authenticates some other"
          + " way (certificate, cloud IAM).",
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

    Create(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      int kinds = (group ? 1 : 0) + (platformAdmin ? 1 : 0) + (existing ? 1 : 0);
      if (kinds > 1) {
        throw new IllegalArgumentException("Give at most one of --group, --platform-admin and --existing");
      }
      Optional<Secret> password = password();
      if (password.isPresent() && (group || existing)) {
        throw new IllegalArgumentException((group ? "A group does not log in" : "An adopted role keeps how it logs in")
            + ": leave out --password-stdin, --password-file and --password-env");
      }
      PangolinAdmin admin = connection.admin(ctx);
      if (group) {
        admin.createGroup(name);
      } else if (existing) {
        admin.adoptPrincipal(name);
      } else if (platformAdmin) {
        admin.createPlatformAdmin(name, password);
      } else {
        admin.createPrincipal(name, password);
      }
      for (String g : memberOf) {
        admin.addMember(g, name);
      }
      ctx.out().println((existing ? "Adopted " : "Created ") + (group ? "group " : platformAdmin
          ? "platform administrator " : "principal ") + name + (password.isPresent() ? " with a password" : "")
          + (memberOf.isEmpty() ? "" : ", member of " + String.join(", ", memberOf)));
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
