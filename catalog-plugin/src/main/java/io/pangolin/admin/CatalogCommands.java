package io.pangolin.admin;

import io.pangolin.metastore.CatalogStore.CatalogSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "catalog", description = "Catalogs: a tenant's named catalog, bound to one warehouse.",
    subcommands = {CatalogCommands.Create.class, CatalogCommands.List.class, CatalogCommands.Delete.class,
      GraveyardCommands.UpdateCatalog.class})
final class CatalogCommands {

  @Command(name = "create", description = "Create a catalog on a warehouse.")
  static final class Create extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;
    @Option(names = "--warehouse", required = true) String warehouse;
    @Option(names = "--jdbc-name", description = "Name JDBC-catalog readers (Trino, PyIceberg) use;"
        + " default <tenant>_<catalog>")
    String jdbcName;
    @Option(names = "--drop-retention", paramLabel = "DURATION",
        description = "How long dropped tables stay restorable: 7d (default), 36h, 0s, P7D")
    String dropRetention;

    Create(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      java.time.Duration retention = dropRetention == null ? null : GraveyardCommands.retention(dropRetention);
      admin.createCatalog(tenant, name, warehouse, jdbcName);
      if (retention != null) {
        admin.setDropRetention(tenant, name, retention);
      }
      say("Created catalog " + tenant + "/" + name + " on warehouse " + warehouse);
      return PangolinCli.OK;
    }
  }

  @Command(name = "list", description = "List a tenant's catalogs.")
  static final class List extends AdminCommand.OfTenant {
    List(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      for (CatalogSummary c : admin.listCatalogs(tenant)) {
        say(c.name() + "\twarehouse=" + c.warehouse() + "\tjdbc-name=" + c.jdbcName());
      }
      return PangolinCli.OK;
    }
  }

  @Command(name = "delete", description = "Delete a catalog that has no namespaces left.")
  static final class Delete extends AdminCommand.OfTenant {
    @Parameters(paramLabel = "NAME") String name;

    Delete(CliContext ctx) {
      super(ctx);
    }

    @Override
    int run(PangolinAdmin admin) {
      admin.deleteCatalog(tenant, name);
      say("Deleted catalog " + tenant + "/" + name);
      return PangolinCli.OK;
    }
  }
}
