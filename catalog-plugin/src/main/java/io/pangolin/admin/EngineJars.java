package io.pangolin.admin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The jars the storage commands ('warehouse check', 'gc') need besides the plugin jar: an Iceberg runtime, the AWS
 * SDK (iceberg-aws-bundle) and SLF4J with its simple provider, which neither of those carries. Every other command
 * talks to the database only and runs from the plugin jar alone. The jars come from the build (engine-jars.properties,
 * filtered), so what the tool asks for is what the distribution ships in its engine/ directory.
 *
 * <p>Where they go: the directory the launcher names with {@code -Dpangolin.engine-dir} (bin/pangolin puts every jar
 * there on the class path), or, run with plain {@code java -jar}, beside the plugin jar, from where a
 * {@code java -cp} command runs them.
 */
final class EngineJars {

  /** Set by bin/pangolin: the directory whose jars it put on the class path. */
  static final String ENGINE_DIR_PROPERTY = "pangolin.engine-dir";

  private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";
  private static final String CENTRAL = "https://repo1.maven.org/maven2/";
  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  /**
   * One jar: its Maven coordinates, and what it provides, which tells whether it is on the class path: a class, or
   * a resource (a path with '/').
   */
  record Jar(String groupId, String artifactId, String version, String probe) {

    Jar {
      requireNonNull(groupId, "groupId");
      requireNonNull(artifactId, "artifactId");
      requireNonNull(version, "version");
      requireNonNull(probe, "probe");
    }

    /** From a line of engine-jars.properties: {@code groupId:artifactId:version probe.Class}. */
    static Jar parse(String line) {
      String[] parts = line.trim().split("\\s+");
      String[] gav = parts[0].split(":");
      if (parts.length != 2 || gav.length != 3) {
        throw new IllegalStateException("Bad engine jar in engine-jars.properties: '" + line + "'");
      }
      return new Jar(gav[0], gav[1], gav[2], parts[1]);
    }

    String fileName() {
      return artifactId + "-" + version + ".jar";
    }

    String coordinates() {
      return groupId + ":" + artifactId + ":" + version;
    }

    String url() {
      return CENTRAL + groupId.replace('.', '/') + "/" + artifactId + "/" + version + "/" + fileName();
    }
  }

  private final String pluginJar;
  private final List<Jar> jars;
  private final Predicate<String> onClassPath;
  private final Optional<Path> engineDir;
  private final Path pluginDir;

  /**
   * {@code onClassPath}: whether a class can be loaded; {@code engineDir}: the launcher's engine directory, empty
   * without the launcher; {@code pluginDir}: the directory holding the plugin jar.
   */
  EngineJars(String pluginJar, List<Jar> jars, Predicate<String> onClassPath, Optional<Path> engineDir,
      Path pluginDir) {
    this.pluginJar = requireNonNull(pluginJar, "pluginJar");
    this.jars = List.copyOf(jars);
    this.onClassPath = requireNonNull(onClassPath, "onClassPath");
    this.engineDir = requireNonNull(engineDir, "engineDir");
    this.pluginDir = requireNonNull(pluginDir, "pluginDir");
  }

  /** As this JVM was started: its class path, and the engine directory the launcher named, if any. */
  static EngineJars ofThisJvm() {
    Properties build = properties();
    List<Jar> jars = new ArrayList<>();
    for (int i = 1; build.getProperty("jar." + i) != null; i++) {
      jars.add(Jar.parse(build.getProperty("jar." + i)));
    }
    ClassLoader loader = EngineJars.class.getClassLoader();
    return new EngineJars(build.getProperty("plugin"), jars, name -> loadable(name, loader),
        Optional.ofNullable(System.getProperty(ENGINE_DIR_PROPERTY)).filter(d -> !d.isBlank()).map(Path::of),
        pluginDir());
  }

  /** The plugin jar's name, then the engine jars': the class path of a storage command run with plain java. */
  static List<String> classPath() {
    EngineJars ours = ofThisJvm();
    List<String> names = new ArrayList<>();
    names.add(ours.pluginJar);
    ours.jars.forEach(jar -> names.add(jar.fileName()));
    return names;
  }

  List<Jar> jars() {
    return jars;
  }

  /** The engine jars whose classes this JVM cannot load. */
  List<Jar> missing() {
    return jars.stream().filter(jar -> !onClassPath.test(jar.probe())).toList();
  }

  /**
   * Fails, before the command does anything, when an engine jar is missing. {@code command}: the command's name;
   * {@code rerun}: the subcommand and its arguments (never a secret: those come from files and the environment).
   */
  void require(String command, String rerun) {
    List<Jar> missing = missing();
    if (!missing.isEmpty()) {
      throw new MissingEngineJarsException(howTo(command, rerun, missing, null), null);
    }
  }

  /** For a class that turned out missing all the same while the command ran. */
  MissingEngineJarsException missingWhileRunning(NoClassDefFoundError e, String command, String rerun) {
    List<Jar> missing = missing();
    return new MissingEngineJarsException(howTo(command, rerun, missing.isEmpty() ? jars : missing, e.getMessage()),
        e);
  }

  private String howTo(String command, String rerun, List<Jar> missing, String missingClass) {
    Path dir = engineDir.orElse(pluginDir);
    StringBuilder out = new StringBuilder();
    out.append("'").append(command).append("' reads and writes the warehouse's storage through Iceberg's FileIO and"
        + " the AWS SDK, so it needs the engine jars besides the plugin jar, and ")
        .append(missingClass == null ? "these are not on the class path: "
            : "a class of theirs is missing (" + missingClass + "); not on the class path: ")
        .append(String.join(", ", missing.stream().map(Jar::fileName).toList())).append(".\n");
    if (engineDir.isPresent()) {
      out.append("Put them in ").append(dir).append(" (the engine directory: the pangolin launcher puts every jar"
          + " there on the class path; PANGOLIN_ENGINE_JARS names another one).");
      downloads(out, missing, dir);
      return out.append("Then run the command again.").toString();
    }
    // Plain java -jar puts no other jar on the class path: fetch what is not beside the plugin jar, then java -cp.
    List<Jar> absent = missing.stream().filter(jar -> !Files.isRegularFile(dir.resolve(jar.fileName()))).toList();
    if (absent.isEmpty()) {
      out.append("They are beside the plugin jar, in ").append(dir).append(", but java -jar reads no class path.\n");
    } else {
      out.append("Put them beside the plugin jar, in ").append(dir).append('.');
      downloads(out, absent, dir);
    }
    return out.append("Then, in ").append(quoted(dir.toString())).append(", run:\n  ").append(command(rerun))
        .append("\nor run it with bin/pangolin of the Pangolin distribution, which puts its engine/ jars on the"
            + " class path.").toString();
  }

  /** The commands that fetch {@code jars} from Maven Central into {@code dir}, with Maven and without. */
  private static void downloads(StringBuilder out, List<Jar> jars, Path dir) {
    out.append(" To download them from Maven Central:\n");
    for (Jar jar : jars) {
      out.append("  mvn -q ").append(DEPENDENCY_PLUGIN).append(":copy -Dartifact=").append(jar.coordinates())
          .append(" -DoutputDirectory=").append(quoted(dir.toString())).append('\n');
    }
    out.append("or, without Maven:\n");
    for (Jar jar : jars) {
      out.append("  curl -fL --create-dirs -o ").append(quoted(dir.resolve(jar.fileName()).toString())).append(' ')
          .append(jar.url()).append('\n');
    }
  }

  /** The java command that runs {@code subcommand} with the engine jars, from the directory holding them all. */
  String command(String subcommand) {
    List<String> names = new ArrayList<>();
    names.add(pluginJar);
    jars.forEach(jar -> names.add(jar.fileName()));
    return "java -cp " + String.join(":", names) + " io.pangolin.admin.PangolinCli " + subcommand;
  }

  /** {@code word} as a POSIX shell reads it back unchanged. */
  static String quoted(String word) {
    return PLAIN_WORD.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  private static boolean loadable(String probe, ClassLoader loader) {
    if (probe.contains("/")) {
      return loader.getResource(probe) != null;
    }
    try {
      Class.forName(probe, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static Properties properties() {
    Properties build = new Properties();
    try (InputStream in = EngineJars.class.getResourceAsStream("engine-jars.properties")) {
      if (in == null) {
        throw new IllegalStateException("The plugin jar lacks io/pangolin/admin/engine-jars.properties");
      }
      build.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read io/pangolin/admin/engine-jars.properties", e);
    }
    return build;
  }

  /** The directory holding the plugin jar (in a build's tests, the classes directory itself). */
  private static Path pluginDir() {
    CodeSource source = EngineJars.class.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return Path.of("").toAbsolutePath();
    }
    try {
      Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
      return Files.isRegularFile(location) ? location.getParent() : location;
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Path.of("").toAbsolutePath();
    }
  }
}
