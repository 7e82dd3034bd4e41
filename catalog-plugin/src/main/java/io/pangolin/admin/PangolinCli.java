package io.pangolin.admin;

import io.pangolin.metastore.NoSuchObjectException;
import io.pangolin.metastore.ObjectExistsException;
import io.pangolin.metastore.ObjectInUseException;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.StoreUnavailableException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The admin command line, in the plugin jar: {@code pangolin --help} with the distribution's bin/pangolin, or
 * {@code java -jar pangolin-catalog-<version>.jar --help}. The commands that only talk to the database run from the
 * plugin jar alone; the storage commands ('warehouse check', 'gc') also need the engine jars ({@link EngineJars}).
 *
 * <p>Exit codes a script can rely on: 0 done; 1 warehouse check or gc found a problem; 2 bad usage or input (also a
 * PostgreSQL server older than Pangolin supports, which retrying cannot help); 3 not found; 4 already exists or
 * still in use; 5 catalog database unreachable; 6 a storage command was run without the engine jars (the message
 * names them, where they go and how to get them); 7 forbidden (the login lacks the privilege, or the server refused
 * the login itself; the message names it).
 */
@Command(
    name = "pangolin",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT,
    versionProvider = PangolinCli.Version.class,
    description = "Sets up and inspects Pangolin: schema, tenants, warehouses, catalogs, principals, grants, audit.",
    subcommands = {
      SchemaCommands.class,
      KeyCommands.class,
      TenantCommands.class,
      PlatformCommands.class,
      WarehouseCommands.class,
      CatalogCommands.class,
      InspectCommands.Namespaces.class,
      InspectCommands.Tables.class,
      PrincipalCommands.class,
      GrantCommands.Grant.class,
      GrantCommands.Revoke.class,
      GrantCommands.Grants.class,
      AuditCommands.class,
      GraveyardCommands.Gc.class,
      BranchCommands.class,
      TagCommands.class
    })
public final class PangolinCli {

  public static final int OK = 0;
  public static final int CHECK_FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int NOT_FOUND = 3;
  public static final int CONFLICT = 4;
  public static final int DATABASE_UNAVAILABLE = 5;
  public static final int NEEDS_ENGINE_JARS = 6;
  public static final int FORBIDDEN = 7;

  @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
      description = "Show the informative log lines of the libraries (Flyway, Iceberg, the AWS SDK)")
  boolean verbose;

  public static void main(String[] args) {
    CliLogging.configure(args);
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  /** Runs one command with the given environment and streams; returns the exit code. */
  public static int run(String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    CliContext ctx = new CliContext(env, in, out, err, EngineJars.ofThisJvm());
    CommandLine cli = new CommandLine(new PangolinCli(), new ContextFactory(ctx));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler(new ArgumentErrors(err));
    cli.setExecutionStrategy(ArgumentErrors::execute);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      err.println("pangolin: " + message(e));
      return exitCode(e);
    });
    return cli.execute(args);
  }

  /**
   * The path of every command that runs (one without subcommands of its own), from picocli's model of the command
   * line: "schema migrate", "warehouse check", "gc". For the tests that must run each one, commands added later
   * included.
   */
  static List<String> leafCommands() {
    CliContext none = new CliContext(Map.of(), InputStream.nullInputStream(), System.out, System.err,
        EngineJars.ofThisJvm());
    List<String> paths = new ArrayList<>();
    addLeaves(new CommandLine(new PangolinCli(), new ContextFactory(none)), List.of(), paths);
    return paths;
  }

  private static void addLeaves(CommandLine command, List<String> path, List<String> paths) {
    if (command.getSubcommands().isEmpty()) {
      paths.add(String.join(" ", path));
    }
    // An alias ('key rotate') is the same command under a second name: visit each command once.
    for (CommandLine sub : new LinkedHashSet<>(command.getSubcommands().values())) {
      List<String> subPath = new ArrayList<>(path);
      subPath.add(sub.getCommandName());
      addLeaves(sub, subPath, paths);
    }
  }

  static int exitCode(Throwable e) {
    if (SqlErrors.isRefusal(e) || SqlErrors.isLoginRefused(e)) {
      return FORBIDDEN;
    }
    if (e instanceof NoSuchObjectException) {
      return NOT_FOUND;
    }
    if (e instanceof ObjectExistsException || e instanceof ObjectInUseException) {
      return CONFLICT;
    }
    if (e instanceof StoreUnavailableException) {
      return DATABASE_UNAVAILABLE;
    }
    if (e instanceof MissingEngineJarsException) {
      return NEEDS_ENGINE_JARS;
    }
    return BAD_INPUT;
  }

  private static String message(Throwable e) {
    if (e instanceof StoreUnavailableException && e.getCause() != null) {
      return e.getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /** Gives each command the context through its constructor. */
  private record ContextFactory(CliContext ctx) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliContext.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(ctx));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = PangolinCli.class.getPackage().getImplementationVersion();
      return new String[] {"pangolin " + (v != null ? v : "development build")};
    }
  }
}
