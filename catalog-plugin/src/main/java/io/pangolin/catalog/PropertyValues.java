package io.pangolin.catalog;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads one catalog property as a value of a kind; a bad value is refused with the key and what it expects. */
final class PropertyValues {

  private PropertyValues() {}

  static String required(Map<String, String> props, String key, String what) {
    String value = props.get(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("Missing catalog property '" + key + "': set it to " + what);
    }
    return value.trim();
  }

  static boolean bool(Map<String, String> props, String key, boolean dflt) {
    String value = props.get(key);
    if (value == null) {
      return dflt;
    }
    if (List.of("true", "false").contains(value.trim().toLowerCase(Locale.ROOT))) {
      return Boolean.parseBoolean(value.trim());
    }
    throw new IllegalArgumentException(
        "Invalid catalog property '" + key + "': expected true or false, got '" + value + "'");
  }

  static int positiveInt(Map<String, String> props, String key, int dflt) {
    int value = intValue(props, key, dflt);
    if (value <= 0) {
      throw new IllegalArgumentException(
          "Invalid catalog property '" + key + "': must be greater than 0, got " + value);
    }
    return value;
  }

  static int nonNegativeInt(Map<String, String> props, String key, int dflt) {
    int value = intValue(props, key, dflt);
    if (value < 0) {
      throw new IllegalArgumentException(
          "Invalid catalog property '" + key + "': must be 0 or more, got " + value);
    }
    return value;
  }

  static long byteSize(Map<String, String> props, String key, long dflt) {
    String value = props.get(key);
    if (value == null) {
      return dflt;
    }
    String trimmed = value.trim().toLowerCase(Locale.ROOT);
    int shift = switch (trimmed.isEmpty() ? ' ' : trimmed.charAt(trimmed.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      default -> 0;
    };
    String digits = shift == 0 ? trimmed : trimmed.substring(0, trimmed.length() - 1).trim();
    try {
      long number = Long.parseLong(digits);
      if (number >= 0 && number <= Long.MAX_VALUE >> shift) {
        return number << shift;
      }
    } catch (NumberFormatException e) {
      // Reported below with the key and an example.
    }
    throw new IllegalArgumentException("Invalid catalog property '" + key + "': expected a size of 0 or more in"
        + " bytes, or with a suffix k, m or g such as 32m, got '" + value + "'");
  }

  private static int intValue(Map<String, String> props, String key, int dflt) {
    String value = props.get(key);
    if (value == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Invalid catalog property '" + key + "': expected a whole number, got '" + value + "'");
    }
  }
}
