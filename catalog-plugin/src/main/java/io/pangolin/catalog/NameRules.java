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

  private NameRules() {}

  static void namespace(Namespace ns) {
    for (String level : ns.levels()) {
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
    if (hasNul(id.name())) {
      throw new IllegalArgumentException("Invalid " + kind + " name " + quote(id.name()) + " in namespace "
          + describe(id.namespace()) + ": a name " + NUL_RULE);
    }
  }

  private static boolean hasNul(String text) {
    return text.indexOf('\0') >= 0;
  }

  /** Levels as written, except that an empty level shows as "" and NUL as \u0000, so the message is printable. */
  private static String describe(Namespace ns) {
    return Arrays.stream(ns.levels())
        .map(level -> level.isEmpty() ? "\"\"" : escapeNul(level))
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String quote(String text) {
    return "\"" + escapeNul(text) + "\"";
  }

  private static String escapeNul(String text) {
    return text.replace("\0", "\\u0000");
  }
}
