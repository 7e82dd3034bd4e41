package io.pangolin.catalog;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The names Pangolin accepts, checked before anything reaches SQL. PostgreSQL text cannot hold the NUL character,
 * and an empty level would make ["a", ""] read like a child of "a" that was never created; both would otherwise
 * come back as a database error or a wrong "does not exist". The empty (root) namespace has no levels and passes;
 * the entry points that do not support it say so themselves.
 */
final class NameRules {

  private static final String NUL_RULE = "must not contain the NUL character (\\u0000)";
  /** The database's bounds (R__10_principals.sql, require_levels and require_text), said here before SQL. */
  static final int MAX_LEVELS = 16;
  static final int MAX_NAME_LENGTH = 255;
  private static final int SHOWN = 200;

  private NameRules() {}

  static void namespace(Namespace ns) {
    if (ns.length() > MAX_LEVELS) {
      throw new IllegalArgumentException("Invalid namespace " + describe(ns) + ": it has " + ns.length()
          + " levels; a namespace has at most " + MAX_LEVELS);
    }
    for (String level : ns.levels()) {
      if (tooLong(level)) {
        throw new IllegalArgumentException("Invalid namespace " + describe(ns) + ": a level has at most "
            + MAX_NAME_LENGTH + " characters");
      }
      if (level.isEmpty()) {
        throw new IllegalArgumentException("Invalid namespace " + describe(ns) + ": a level must not be empty");
      }
      if (hasNul(level)) {
        throw new IllegalArgumentException("Invalid namespace " + describe(ns) + ": a level " + NUL_RULE);
      }
    }
  }

  static void table(TableIdentifier id) {
    relation(id, "table");
  }

  static void view(TableIdentifier id) {
    relation(id, "view");
  }

  static void properties(Namespace ns, Map<String, String> properties) {
    propertyKeys(ns, properties.keySet());
    properties.forEach((key, value) -> {
      if (value != null && hasNul(value)) {
        throw new IllegalArgumentException("Invalid value of property " + quote(key) + " of namespace "
            + describe(ns) + ": a property value " + NUL_RULE);
      }
    });
  }

  static void propertyKeys(Namespace ns, Collection<String> keys) {
    for (String key : keys) {
      if (key != null && hasNul(key)) {
        throw new IllegalArgumentException("Invalid property key " + quote(key) + " of namespace " + describe(ns)
            + ": a property key " + NUL_RULE);
      }
    }
  }

  private static void relation(TableIdentifier id, String kind) {
    namespace(id.namespace());
    if (tooLong(id.name())) {
      throw new IllegalArgumentException("Invalid " + kind + " name " + quote(id.name()) + " in namespace "
          + describe(id.namespace()) + ": a name has at most " + MAX_NAME_LENGTH + " characters");
    }
    if (hasNul(id.name())) {
      throw new IllegalArgumentException("Invalid " + kind + " name " + quote(id.name()) + " in namespace "
          + describe(id.namespace()) + ": a name " + NUL_RULE);
    }
  }

  private static boolean tooLong(String text) {
    return text.codePointCount(0, text.length()) > MAX_NAME_LENGTH;
  }

  private static boolean hasNul(String text) {
    return text.indexOf('\0') >= 0;
  }

  /** Levels as written, except that an empty level shows as "" and NUL as \u0000, so the message is printable. */
  private static String describe(Namespace ns) {
    return shown(Arrays.stream(ns.levels())
        .map(level -> level.isEmpty() ? "\"\"" : escapeNul(level))
        .collect(Collectors.joining(", ", "[", "]")));
  }

  private static String quote(String text) {
    return "\"" + shown(escapeNul(text)) + "\"";
  }

  /** A caller's input as a message shows it: the first 200 characters. */
  private static String shown(String text) {
    return text.length() <= SHOWN ? text : text.substring(0, SHOWN) + "... (" + text.length() + " characters)";
  }

  private static String escapeNul(String text) {
    return text.replace("\0", "\\u0000");
  }
}
