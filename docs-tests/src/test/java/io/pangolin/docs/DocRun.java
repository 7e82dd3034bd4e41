package io.pangolin.docs;

import io.pangolin.docs.DocBlocks.Block;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One document's run blocks, concatenated in order into one bash script under {@code set -euo pipefail}, each
 * preceded by a line printing {@code == file:line ==} so that a failure names its block; run with bash in the work
 * folder, with exactly the environment given, no standard input, and its output (both streams) in a log.
 */
final class DocRun {

  private static final Pattern MARK = Pattern.compile("(?m)^== (.+:\\d+) ==$");

  /**
   * A line ending in {@code # prints: X} promises its command's output shows X. The pipe is appended to the line
   * that ends the command, which works however the command began (continued lines, a quoted string over several
   * lines), and pipefail keeps the command's own failure.
   */
  private static final Pattern PRINTS = Pattern.compile("(?m)^(.*\\S)[ \\t]+#[ \\t]*prints:[ \\t]*(.*\\S)[ \\t]*$");

  /**
   * Shows the output and fails unless one of its lines holds the expected text with no letter, digit or underscore
   * right before or after it (runs of blanks and tabs count as one space), so "0" does not match "10", "demo_etl"
   * matches "by=demo_etl," and "2 29.5" matches Spark's tab.
   */
  private static final String EXPECT = """
      __expect() {
        local out; out=$(cat); printf '%s\\n' "$out"
        if ! awk -v want="$1" '
            BEGIN { gsub(/[ \\t]+/, " ", want) }
            function word(c) { return c ~ /[A-Za-z0-9_]/ }
            { line = $0; gsub(/[ \\t]+/, " ", line); from = 1
              while ((at = index(substr(line, from), want)) > 0) {
                at += from - 1
                before = at > 1 ? substr(line, at - 1, 1) : ""
                if (!word(before) && !word(substr(line, at + length(want), 1))) found = 1
                from = at + 1 } }
            END { exit !found }' <<<"$out"; then
          echo "expected the output above to show: $1" >&2; return 1
        fi
      }
      """;

  /** How it ended: the exit code (-1 when it ran out of time), the log's text, the last block it started. */
  record Result(String document, int exitCode, boolean timedOut, Path log, String output, String lastBlock) {

    boolean passed() {
      return exitCode == 0 && !timedOut;
    }
  }

  private DocRun() {
  }

  /**
   * The script: {@code sourced} (an environment file written by an earlier document's {@code export -p}) first
   * when given, then the blocks; {@code exportTo} receives this document's {@code export -p} at the end when given.
   */
  static String script(String document, List<Block> blocks, Path sourced, Path exportTo) {
    StringBuilder script = new StringBuilder("# Written by DocsIT: the run blocks of " + document + ", as written.\n")
        .append("set -euo pipefail\n").append(EXPECT);
    if (sourced != null) {
      script.append("source ").append(quoted(sourced)).append('\n');
    }
    for (Block block : blocks) {
      script.append("echo ").append(quoted("== " + block.where() + " ==")).append('\n').append(withExpectations(block.text()));
    }
    if (exportTo != null) {
      script.append("echo ").append(quoted("== " + document + ": end ==")).append('\n')
          .append("(umask 077 && export -p > ").append(quoted(exportTo)).append(")\n");
    }
    return script.toString();
  }

  /** The block's text with every {@code # prints: X} turned into a check of its command's output. */
  static String withExpectations(String text) {
    return PRINTS.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
        m.group(1) + " | __expect " + quoted(m.group(2))));
  }

  static Result run(String document, String script, Path scriptFile, Path log, Path workDir, Map<String, String> env,
      Duration timeout) throws IOException, InterruptedException {
    Files.createDirectories(scriptFile.getParent());
    Files.createDirectories(log.getParent());
    Files.writeString(scriptFile, script);
    ProcessBuilder builder = new ProcessBuilder("bash", scriptFile.toString())
        .directory(workDir.toFile())
        .redirectInput(new File("/dev/null"))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
    String output = Files.readString(log);
    String last = null;
    Matcher mark = MARK.matcher(output);
    while (mark.find()) {
      last = mark.group(1);
    }
    return new Result(document, finished ? process.exitValue() : -1, !finished, log, output,
        last == null ? document + " (before its first block)" : last);
  }

  /** The last {@code lines} lines of {@code text}. */
  static String tail(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }

  private static String quoted(Object value) {
    return "'" + value.toString().replace("'", "'\\''") + "'";
  }
}
