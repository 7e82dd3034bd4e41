package io.pangolin.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration files under examples/, as users copy them. Tests run them after filling in the placeholders,
 * so an example that drifts from what works fails the build.
 */
final class Examples {

  /** ${NAME}, the placeholder users replace by hand. Trino's own ${ENV:NAME} references are not placeholders. */
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}");

  private Examples() {}

  static Path file(String relative) {
    Path dir = Path.of(System.getProperty("pangolin.test.examples", "../examples"));
    return dir.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(file(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file with every placeholder replaced; a placeholder without a value fails the test. */
  static String filled(String relative, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(read(relative));
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      assertThat(values).as("a value for placeholder ${%s} of examples/%s", name, relative).containsKey(name);
      m.appendReplacement(out, Matcher.quoteReplacement(values.get(name)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Drops SQL line comments and the closing semicolon, which the Table API's executeSql does not take. */
  static String statement(String sql) {
    String body = sql.lines()
        .filter(line -> !line.strip().startsWith("--"))
        .reduce("", (a, b) -> a + b + "\n")
        .strip();
    return body.endsWith(";") ? body.substring(0, body.length() - 1) : body;
  }
}
