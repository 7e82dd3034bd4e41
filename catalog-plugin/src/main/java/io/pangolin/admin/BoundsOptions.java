package io.pangolin.admin;

import io.pangolin.metastore.access.PrincipalBounds;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * A principal's bounds on the command line: each option replaces one bound of a base ({@link PrincipalBounds#DEFAULTS}
 * when creating or adopting, nothing when changing an existing principal); {@code none} leaves that bound unset.
 */
final class BoundsOptions {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(kb|mb|gb|tb)");

  @Option(names = "--statement-timeout", paramLabel = "DURATION", description = "statement_timeout of the role's"
      + " sessions, as 60s, 2min, 500ms; 0 for no limit, none to leave it unset (default when creating: 1min)")
  String statementTimeout;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", description = "lock_timeout of the role's sessions"
      + " (default when creating: 10s)")
  String lockTimeout;

  @Option(names = "--idle-in-transaction-timeout", paramLabel = "DURATION",
      description = "idle_in_transaction_session_timeout of the role's sessions (default when creating: 5min)")
  String idleInTransactionTimeout;

  @Option(names = "--temp-file-limit", paramLabel = "SIZE", description = "temp_file_limit of the role's sessions,"
      + " as 512MB, 1GB; -1 for no limit, none to leave it unset (default when creating: 1GB)")
  String tempFileLimit;

  boolean given() {
    return statementTimeout != null || lockTimeout != null || idleInTransactionTimeout != null
        || tempFileLimit != null;
  }

  PrincipalBounds over(PrincipalBounds base) {
    PrincipalBounds out = base;
    if (statementTimeout != null) {
      out = out.withStatementTimeout(duration("--statement-timeout", statementTimeout));
    }
    if (lockTimeout != null) {
      out = out.withLockTimeout(duration("--lock-timeout", lockTimeout));
    }
    if (idleInTransactionTimeout != null) {
      out = out.withIdleInTransactionSessionTimeout(duration("--idle-in-transaction-timeout",
          idleInTransactionTimeout));
    }
    if (tempFileLimit != null) {
      out = out.withTempFileLimitKb(size(tempFileLimit));
    }
    return out;
  }

  static Optional<Duration> duration(String option, String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("none")) {
      return Optional.empty();
    }
    if (t.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid " + option + " '" + text + "': use a number with ms, s, min, h or"
          + " d (500ms, 60s, 5min), 0 for no limit, or none to leave it unset");
    }
    long n = Long.parseLong(m.group(1));
    return Optional.of(switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "min", "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    });
  }

  static OptionalLong size(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    switch (t) {
      case "none":
        return OptionalLong.empty();
      case "-1", "unlimited":
        return OptionalLong.of(-1);
      case "0":
        return OptionalLong.of(0);
      default:
        break;
    }
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("Invalid --temp-file-limit '" + text + "': use a number with kB, MB, GB or"
          + " TB (512MB, 1GB), -1 for no limit, or none to leave it unset");
    }
    long n = Long.parseLong(m.group(1));
    return OptionalLong.of(switch (m.group(2)) {
      case "kb" -> n;
      case "mb" -> n << 10;
      case "gb" -> n << 20;
      default -> n << 30;
    });
  }

  /**
   * Says which bounds were set, and warns on stderr about each one that was not, with the statement that sets it, so
   * that a missing bound never goes unnoticed; the role itself was made, so the command still succeeds.
   */
  static void report(CliContext ctx, String role, PrincipalBounds.Applied applied) {
    if (!applied.set().isEmpty()) {
      ctx.out().println("Bounds of " + role + ": " + line(applied.set()) + " (from its next login)");
    }
    PrintStream err = ctx.err();
    for (PrincipalBounds.NotSet n : applied.notSet()) {
      err.println("Warning: " + n.parameter() + " = " + n.value() + " not set on " + role + ": " + n.reason()
          + ". A superuser sets it with: " + n.statement());
    }
  }

  static String line(Map<String, String> settings) {
    return settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
