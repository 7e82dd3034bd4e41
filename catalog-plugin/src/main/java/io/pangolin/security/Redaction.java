package io.pangolin.security;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The one place that decides what is masked before a value reaches a log, a message or a toString(). */
public final class Redaction {

  /** The mask shown instead of a secret. */
  public static final String MASK = "***";

  private static final Set<String> SENSITIVE_SUFFIXES = Set.of("password", "secret", "token", "key");
  private static final Pattern URL_PASSWORD = Pattern.compile("password=[^&]*");

  private Redaction() {}

  /** True for keys whose values must never be printed. */
  public static boolean isSensitive(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return SENSITIVE_SUFFIXES.stream().anyMatch(lower::endsWith);
  }

  /** A copy of the properties fit for logs and error messages. */
  public static Map<String, String> properties(Map<String, String> properties) {
    Map<String, String> out = new LinkedHashMap<>();
    properties.forEach((k, v) -> out.put(k, isSensitive(k) ? MASK : v));
    return out;
  }

  /** A JDBC URL as it may be shown: a password written into it is masked. */
  public static String url(String url) {
    return URL_PASSWORD.matcher(url).replaceAll("password=" + MASK);
  }
}
