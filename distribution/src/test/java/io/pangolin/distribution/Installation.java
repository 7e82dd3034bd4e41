package io.pangolin.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The distribution this build packaged (target/pangolin/, named by the failsafe configuration), and running it. */
final class Installation {

  /** A finished command: its exit code and what it wrote, stdout and stderr together. */
  record Run(int exit, String output) {}

  private Installation() {}

  static Path home() {
    Path home = Path.of(System.getProperty("pangolin.home", "target/pangolin")).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("bin/pangolin"))) {
      throw new IllegalStateException("No distribution at " + home + ": run this test with 'mvn verify'");
    }
    return home;
  }

  static Path launcher() {
    return home().resolve("bin/pangolin");
  }

  /**
   * The environment every run starts from: this JVM's Java as JAVA_HOME, and none of the variables the launcher or
   * the command line read, so a developer's own settings cannot leak in.
   */
  static Map<String, String> baseEnvironment() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(name -> name.startsWith("PANGOLIN_"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    return env;
  }

  /** {@code bin/pangolin args...} run with bash from {@code dir}, with exactly {@code env} as its environment. */
  static Run pangolin(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", launcher().toString()));
    command.addAll(List.of(args));
    return run(command, dir, env);
  }

  static Run run(List<String> command, Path dir, Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    return new Run(process.exitValue(), output);
  }
}
