package io.pangolin.bench;

import io.pangolin.bench.report.MachineInfo;
import io.pangolin.bench.report.RatioChart;
import io.pangolin.bench.report.ReportWriter;
import io.pangolin.bench.report.Results;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmark and writes {@code latest.md} and {@code ratios.png} to the output directory
 * (benchmarks/results by default), printing the Markdown to stdout and progress to stderr.
 *
 * <pre>
 * mvn -B -q -DskipTests -pl benchmarks -am package
 * java -jar benchmarks/target/pangolin-benchmarks.jar [--profile=smoke] [--key=value ...]
 * </pre>
 */
public final class BenchmarkMain {

  private BenchmarkMain() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    // The plugin's test jar on the classpath brings a logback-test.xml, which logback would prefer to ours.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "bench-logback.xml");
    }
    BenchConfig config = BenchConfig.from(args);
    run(config, commandLine(args));
    // Non-daemon threads of the S3 clients and the embedded server's shutdown hook should not hold the JVM.
    System.exit(0);
  }

  /** Runs with {@code config} and writes the report and chart; returns the report's path. */
  public static Path run(BenchConfig config, String command) throws IOException {
    Results results = new Harness(config, System.err).run();
    String markdown = new ReportWriter(results, MachineInfo.detect(), command).markdown();
    Files.createDirectories(config.out());
    Path report = config.out().resolve("latest.md");
    Files.writeString(report, markdown, StandardCharsets.UTF_8);
    RatioChart.write(results, config.out().resolve("ratios.png"));
    System.out.print(markdown);
    System.out.flush();
    System.err.println("[bench] wrote " + report.toAbsolutePath() + " and " + config.out().resolve("ratios.png"));
    return report;
  }

  /** How this process was started, as one shell command. */
  private static String commandLine(String[] args) {
    List<String> parts = new ArrayList<>();
    parts.add("java");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-Djava.awt.headless"))
        .forEach(parts::add);
    String launched = System.getProperty("sun.java.command", "");
    String jarOrClass = launched.isEmpty() ? BenchmarkMain.class.getName() : launched.split(" ")[0];
    parts.add(jarOrClass.endsWith(".jar") ? "-jar " + jarOrClass : jarOrClass);
    parts.addAll(List.of(args));
    return String.join(" ", parts);
  }
}
