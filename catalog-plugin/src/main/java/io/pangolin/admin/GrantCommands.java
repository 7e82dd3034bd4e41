package io.pangolin.admin;

import io.pangolin.metastore.access.GrantInfo;
import io.pangolin.metastore.access.ObjectRef;
import io.pangolin.metastore.access.Privilege;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** grant, revoke and grants show: each runs as the caller, so PostgreSQL checks MANAGE_GRANTS on the object. */
final class GrantCommands {

  private GrantCommands() {}

  static List<Privilege> privileges(String text) {
    List<Privilege> out = new ArrayList<>();
    for (String name : text.split(",")) {
      try {
        out.add(Privilege.valueOf(name.strip().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Unknown privilege '" + name.strip() + "': use one or more of "
            + Arrays.toString(Privilege.values()) + ", separated by commas");
      }
    }
    return out;
  }

  /** A grant or revoke of each privilege listed, on one object. */
  abstract static class Change extends AdminCommand {
    @Parameters(paramLabel = "PRIVILEGES", description = "Comma-separated: READ, WRITE, CREATE, DROP, MANAGE_GRANTS,"
        + " UNDROP (restore dropped tables and views), GC (collect the graveyard; on a catalog), CREATE_BRANCH,"
        + " MERGE, DELETE_BRANCH (branches and tags; on a catalog)")
    String privileges;

    @Mixin ObjectOptions object;

    Change(CliContext ctx) {
      super(ctx);
    }

    @Override
    Optional<String> tenantOption() {
      return Optional.ofNullable(object.tenant);
    }

    /** Makes the change; returns the line that reports it. */
    abstract String apply(PangolinAdmin admin, Privilege privilege, ObjectRef on);

    @Override
    final int run(PangolinAdmin admin) {
      ObjectRef on = object.ref();
      for (Privilege p : privileges(privileges)) {
        say(apply(admin, p, on));
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "grant", description = "Grant privileges on a catalog, namespace, table or view. A grant on a"
      + " catalog or namespace covers everything inside it, including objects created later.")
  static final class Grant extends Change {
    @Option(names = "--to", required = true, paramLabel = "ROLE") String grantee;

    Grant(CliContext ctx) {
      super(ctx);
    }

    @Override
    String apply(PangolinAdmin admin, Privilege privilege, ObjectRef on) {
      admin.grant(grantee, privilege, on);
      return "Granted " + privilege + " on " + on + " to " + grantee;
    }
  }

  @Command(name = "revoke", description = "Revoke privileges granted on exactly this object.")
  static final class Revoke extends Change {
    @Option(names = "--from", required = true, paramLabel = "ROLE") String grantee;

    Revoke(CliContext ctx) {
      super(ctx);
    }

    @Override
    String apply(PangolinAdmin admin, Privilege privilege, ObjectRef on) {
      return admin.revoke(grantee, privilege, on) > 0 ? "Revoked " + privilege + " on " + on + " from " + grantee
          : grantee + " held no " + privilege + " grant on exactly " + on + "; nothing revoked";
    }
  }

  @Command(name = "grants", description = "Show grants.", subcommands = Show.class)
  static final class Grants {}

  @Command(name = "show", description = {"Show the grants of a principal (--principal ROLE), or the grants that reach"
      + " an object (on it, its catalog and every enclosing namespace).",
      "Columns: grantee, privilege, object, granted by, granted at."})
  static final class Show extends AdminCommand {
    @Option(names = "--principal", paramLabel = "ROLE", description = "Show this principal's own grants")
    String principal;

    @Mixin ObjectOptions object;

    Show(CliContext ctx) {
      super(ctx);
    }

    @Override
    Optional<String> tenantOption() {
      return Optional.ofNullable(object.tenant);
    }

    @Override
    int run(PangolinAdmin admin) {
      if ((principal == null) == !object.given()) {
        throw new IllegalArgumentException("Give either --principal ROLE or an object (--tenant T --catalog C"
            + " [--namespace a.b] [--table NAME | --view NAME])");
      }
      List<GrantInfo> grants = principal != null ? admin.grantsOf(principal) : admin.grantsOn(object.ref());
      for (GrantInfo g : grants) {
        say(g.grantee() + "\t" + g.privilege() + "\t" + g.on() + "\t" + g.grantedBy() + "\t" + g.grantedAt());
      }
      return PangolinCli.OK;
    }
  }
}
