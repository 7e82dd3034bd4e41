package io.pangolin.admin;

import io.pangolin.catalog.GarbageCollector;
import io.pangolin.metastore.graveyard.Graveyard;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Dropped tables and views: list what can be restored, restore it, set the retention, collect with gc. */
final class GraveyardCommands {

  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)([dhms])");

  private GraveyardCommands() {}

  /** 'table list --dropped [--ref]': one line per dropped table or view, with its graveyard id and until when. */
  static void printDropped(PangolinAdmin admin, String tenant, String catalog, String ref, Consumer<String> say) {
    for (Graveyard.Dropped d : admin.listDropped(tenant, catalog, ref)) {
      say.accept(d.qualifiedName() + "\t" + d.kind().toLowerCase(Locale.ROOT) + "\tid=" + d.id() + "\tdropped="
          + d.droppedAt() + "\tby=" + d.droppedBy() + "\trestorable-until=" + d.retainUntil()
          + (d.purgeRequested() ? "\tpurge" : "") + "\t" + d.metadataLocation());
    }
  }

  /** A retention as 7d, 36h, 90m or 0s, or an ISO-8601 duration such as P7D or PT36H. */
  static Duration retention(String text) {
    Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      };
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Invalid drop retention '" + text + "': use a number with d, h, m or s"
          + " (7d, 36h, 0s) or an ISO-8601 duration (P7D)");
    }
  }

  /** NAMESPACE.NAME split at its last dot; namespace levels are separated by dots. */
  static List<String> split(String qualified, String option) {
    int dot = qualified.lastIndexOf('.');
    if (dot <= 0 || dot == qualified.length() - 1) {
      throw new IllegalArgumentException("Invalid " + option + " '" + qualified + "': give NAMESPACE.NAME, e.g."
          + " sales.orders");
    }
    return Arrays.asList(qualified.split("\\.", -1));
  }

  @Command(name = "undrop", description = "Restore a dropped table or view, with its history, under its name or"
      + " another one (see 'table list --dropped').")
  static final class Undrop extends AdminCommand.OfTenant {
    @Option(names = "--catalog", required = true) String catalog;
    @Parameters(paramLabel = "NAMESPACE.NAME", description = "The name it was dropped under") String name;
    @Option(names = "--id", description = "Its graveyard id, when several dropped relations share the name")
    Long id;
    @Option(names = "--as", paramLabel = "NAMESPACE.NAME", description = "Restore it under this name instead")
    String as;
    @Option(names = "--ref", paramLabel = "BRANCH", description = "Restore what was dropped from this branch, on"
        + " that branch only (default: main)")
    String ref = "main";

    Undrop(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      List<String> from = split(name, "name");
      Optional<List<String>> to = Optional.ofNullable(as).map(a -> split(a, "--as"));
      Graveyard.Restored restored = admin.undrop(tenant, catalog, ref, from.subList(0, from.size() - 1),
          from.get(from.size() - 1), id == null ? OptionalLong.empty() : OptionalLong.of(id),
          to.map(t -> t.subList(0, t.size() - 1)), to.map(t -> t.get(t.size() - 1)));
      say("Restored " + restored.kind().toLowerCase(Locale.ROOT) + " " + tenant + "/" + catalog + " "
          + restored.qualifiedName() + ("main".equals(ref) ? "" : " on branch " + ref) + " at "
          + restored.metadataLocation());
      return PangolinCli.OK;
    }
  }

  @Command(name = "update", description = "Change a catalog's settings: how long dropped tables stay restorable.")
  static final class UpdateCatalog extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--drop-retention", required = true, paramLabel = "DURATION",
        description = "How long a dropped table or view stays restorable before gc may collect it: 7d, 36h, 0s, P7D")
    String dropRetention;

    UpdateCatalog(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.setDropRetention(tenant, name, retention(dropRetention));
      say("Catalog " + tenant + "/" + name + " keeps dropped tables and views for "
          + admin.dropRetention(tenant, name));
      return PangolinCli.OK;
    }
  }

  @Command(name = "gc", description = "Collect dropped tables and views whose retention has ended: delete the"
      + " files of those dropped with PURGE (through the warehouse's own FileIO) and forget them. Needs the engine"
      + " jars on the class path, like 'warehouse check'. Exit code 1 when something could not be collected.")
  static final class Gc extends AdminCommand.OnStorage {
    @Option(names = "--catalog", description = "Only this catalog (default: every catalog of the tenant)")
    String catalog;
    @Option(names = "--dry-run", description = "Say what would be done; delete nothing") boolean dryRun;

    Gc(CliContext ctx) {
      super(ctx);
    }

    @Override
    String rerun() {
      return "gc --tenant " + tenant + (catalog != null ? " --catalog " + catalog : "") + (dryRun ? " --dry-run" : "");
    }

    @Override
    int runOnStorage(PangolinAdmin admin) {
      GarbageCollector.Report report = admin.gc(tenant, Optional.ofNullable(catalog), dryRun);
      for (GarbageCollector.Outcome o : report.outcomes()) {
        say(o.action().name().toLowerCase(Locale.ROOT) + (dryRun ? " (dry run)" : "") + "\t"
            + o.dropped().catalog() + "\t" + o.dropped().qualifiedName()
            + ("main".equals(o.dropped().ref()) ? "" : "@" + o.dropped().ref()) + "\tid=" + o.dropped().id() + "\t"
            + o.detail());
      }
      say((dryRun ? "Dry run: " : "") + report.outcomes().size() + " dropped table(s) or view(s) due in catalog(s) "
          + report.catalogs() + " of tenant " + tenant);
      return report.complete() ? PangolinCli.OK : PangolinCli.CHECK_FAILED;
    }
  }
}
