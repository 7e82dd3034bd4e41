package io.pangolin.quickstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a spark-defaults.conf file, filling in its ${NAME} placeholders, so the example file is what runs. */
final class SparkDefaults {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z_]+)}");

  private SparkDefaults() {}

  static Map<String, String> read(Path file, Map<String, String> values) throws IOException {
    Map<String, String> conf = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+", 2);
      Matcher m = PLACEHOLDER.matcher(parts.length > 1 ? parts[1] : "");
      StringBuilder value = new StringBuilder();
      while (m.find()) {
        String replacement = values.get(m.group(1));
        if (replacement == null) {
          throw new IllegalArgumentException("No value for ${" + m.group(1) + "} in " + file);
        }
        m.appendReplacement(value, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(value);
      conf.put(parts[0], value.toString());
    }
    return conf;
  }
}
