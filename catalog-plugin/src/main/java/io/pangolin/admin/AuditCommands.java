package io.pangolin.admin;

import io.pangolin.metastore.access.AuditEntry;
import io.pangolin.metastore.access.AuditQuery;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Read the audit trail (tenant administrators see their tenant's).",
    subcommands = AuditCommands.List.class)
final class AuditCommands {

  @Command(name = "list", description = {"List a tenant's audit rows, newest first.",
      "Columns: time, principal, action, object kind, object name, old pointer -> new pointer, detail."})
  static final class List extends AdminCommand.OfTenant {
    @Option(names = "--object", paramLabel = "NAME", description = "Only rows about this object or anything inside it,"
        + " by the name the trail records: a namespace 'sales.eu', a table 'sales.orders', a catalog or warehouse by"
        + " its name, a grant or tenant administrator by the role")
    String object;

    @Option(names = "--since", paramLabel = "ISO-8601", description = "From this instant (inclusive),"
        + " e.g. 2026-11-30T00:00:00Z")
    Instant since;

    @Option(names = "--until", paramLabel = "ISO-8601", description = "Before this instant (exclusive)")
    Instant until;

    @Option(names = "--limit", paramLabel = "N", description = "At most N rows (default: 100)")
    int limit = AuditQuery.DEFAULT_LIMIT;

    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      AuditQuery query = new AuditQuery(tenant, Optional.ofNullable(object), Optional.ofNullable(since),
          Optional.ofNullable(until), limit);
      for (AuditEntry e : admin.audit(query)) {
        String pointers = e.oldPointer() == null && e.newPointer() == null ? "-"
            : (e.oldPointer() == null ? "" : e.oldPointer()) + " -> " + (e.newPointer() == null ? "" : e.newPointer());
        say(e.at() + "\t" + e.principal() + "\t" + e.action() + "\t" + e.objectKind() + "\t" + e.objectName() + "\t"
            + pointers + "\t" + e.detail());
      }
      return PangolinCli.OK;
    }
  }
}
