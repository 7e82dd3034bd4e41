package io.pangolin.metastore.access;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Server-side limits a principal's sessions start with, stored on its role ({@code ALTER ROLE ... SET}), so that a
 * runaway statement, a lock wait or a forgotten open transaction of one engine ends on the server instead of
 * holding back the others. They take effect at the role's next login; a transaction's own {@code SET LOCAL} (the
 * plugin's pointer swap and consistent-reads bursts) still overrides them. An empty bound is left as it is on the
 * role (and so falls back to the database's or server's setting).
 *
 * <p>A timeout of zero means no limit, as in PostgreSQL; so does a {@code tempFileLimitKb} of -1 (0 would forbid
 * temporary files altogether).
 */
public record PrincipalBounds(Optional<Duration> statementTimeout, Optional<Duration> lockTimeout,
    Optional<Duration> idleInTransactionSessionTimeout, OptionalLong tempFileLimitKb) {

  /**
   * For an engine login. The plugin never waits longer than its socket timeout ({@code pangolin.statement-timeout-s},
   * 30 s by default) for an answer, so a statement still running after 60 s is work nobody waits for; a lock wait of
   * 10 s is far past any catalog statement's (a commit's swap sets its own, longer, limit); an engine's transactions
   * last milliseconds, so one idle for 5 minutes was forgotten and only holds back vacuum and other writers'
   * locks; catalog queries sort little, so a 1 GiB temporary file is a runaway query filling the server's disk.
   */
  public static final PrincipalBounds DEFAULTS = new PrincipalBounds(Optional.of(Duration.ofSeconds(60)),
      Optional.of(Duration.ofSeconds(10)), Optional.of(Duration.ofMinutes(5)), OptionalLong.of(1L << 20));

  /** Sets nothing: the role keeps whatever it has. */
  public static final PrincipalBounds NONE = new PrincipalBounds(Optional.empty(), Optional.empty(),
      Optional.empty(), OptionalLong.empty());

  public static final String STATEMENT_TIMEOUT = "statement_timeout";
  public static final String LOCK_TIMEOUT = "lock_timeout";
  public static final String IDLE_IN_TRANSACTION_SESSION_TIMEOUT = "idle_in_transaction_session_timeout";
  public static final String TEMP_FILE_LIMIT = "temp_file_limit";

  /** The parameters a principal's bounds are made of, in the order they are set and shown. */
  public static final List<String> PARAMETERS =
      List.of(STATEMENT_TIMEOUT, LOCK_TIMEOUT, IDLE_IN_TRANSACTION_SESSION_TIMEOUT, TEMP_FILE_LIMIT);

  /** PostgreSQL keeps these timeouts as a 32-bit count of milliseconds. */
  private static final long MAX_MILLIS = Integer.MAX_VALUE;

  public PrincipalBounds {
    requireNonNull(statementTimeout, "statementTimeout");
    requireNonNull(lockTimeout, "lockTimeout");
    requireNonNull(idleInTransactionSessionTimeout, "idleInTransactionSessionTimeout");
    requireNonNull(tempFileLimitKb, "tempFileLimitKb");
    statementTimeout.ifPresent(d -> checkTimeout(STATEMENT_TIMEOUT, d));
    lockTimeout.ifPresent(d -> checkTimeout(LOCK_TIMEOUT, d));
    idleInTransactionSessionTimeout.ifPresent(d -> checkTimeout(IDLE_IN_TRANSACTION_SESSION_TIMEOUT, d));
    if (tempFileLimitKb.isPresent() && (tempFileLimitKb.getAsLong() < -1
        || tempFileLimitKb.getAsLong() > Integer.MAX_VALUE)) {
      throw new IllegalArgumentException("Invalid " + TEMP_FILE_LIMIT + " of " + tempFileLimitKb.getAsLong()
          + " kB: use -1 (no limit) up to " + Integer.MAX_VALUE + " kB");
    }
  }

  public PrincipalBounds withStatementTimeout(Optional<Duration> value) {
    return new PrincipalBounds(value, lockTimeout, idleInTransactionSessionTimeout, tempFileLimitKb);
  }

  public PrincipalBounds withLockTimeout(Optional<Duration> value) {
    return new PrincipalBounds(statementTimeout, value, idleInTransactionSessionTimeout, tempFileLimitKb);
  }

  public PrincipalBounds withIdleInTransactionSessionTimeout(Optional<Duration> value) {
    return new PrincipalBounds(statementTimeout, lockTimeout, value, tempFileLimitKb);
  }

  public PrincipalBounds withTempFileLimitKb(OptionalLong value) {
    return new PrincipalBounds(statementTimeout, lockTimeout, idleInTransactionSessionTimeout, value);
  }

  /** The bounds to set, parameter to value as PostgreSQL spells it ("1min", "10s", "1GB"), in {@link #PARAMETERS} order. */
  public Map<String, String> settings() {
    Map<String, String> out = new LinkedHashMap<>();
    statementTimeout.ifPresent(d -> out.put(STATEMENT_TIMEOUT, timeout(d)));
    lockTimeout.ifPresent(d -> out.put(LOCK_TIMEOUT, timeout(d)));
    idleInTransactionSessionTimeout.ifPresent(d -> out.put(IDLE_IN_TRANSACTION_SESSION_TIMEOUT, timeout(d)));
    tempFileLimitKb.ifPresent(kb -> out.put(TEMP_FILE_LIMIT, size(kb)));
    return out;
  }

  private static void checkTimeout(String parameter, Duration d) {
    if (d.isNegative() || d.toMillis() > MAX_MILLIS || d.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException("Invalid " + parameter + " of " + d + ": use whole milliseconds from 0"
          + " (no limit) up to " + MAX_MILLIS + " ms");
    }
  }

  static String timeout(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "min";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }

  static String size(long kb) {
    if (kb <= 0) {
      return Long.toString(kb);
    }
    if (kb % (1 << 20) == 0) {
      return kb / (1 << 20) + "GB";
    }
    return kb % 1024 == 0 ? kb / 1024 + "MB" : kb + "kB";
  }

  /**
   * What setting a principal's bounds did: the bounds set, and those the caller was not allowed to set (PostgreSQL
   * lets only a superuser, or a role granted SET on the parameter, set {@code temp_file_limit}, and only a role's
   * administrators alter it), each with the server's reason and the statement that sets it.
   */
  public record Applied(Map<String, String> set, List<NotSet> notSet) {
    public Applied {
      set = Collections.unmodifiableMap(new LinkedHashMap<>(set));
      notSet = List.copyOf(notSet);
    }
  }

  /** A bound the caller could not set; {@code statement} sets it when run by a role allowed to. */
  public record NotSet(String parameter, String value, String reason, String statement) {
    public NotSet {
      requireNonNull(parameter, "parameter");
      requireNonNull(value, "value");
      requireNonNull(reason, "reason");
      requireNonNull(statement, "statement");
    }
  }
}
