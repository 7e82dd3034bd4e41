package io.pangolin.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit example says the same as spark-defaults.conf, which the quickstart and the Spark suites run,
 * so copying either gives a user the tested configuration.
 */
class SparkExamplesTest {

  private static final Pattern CONF = Pattern.compile("--conf ([^=\\s]+)=\"?([^\"\\s]+)\"?");

  @Test
  void sparkSubmitLineMatchesSparkDefaults() throws Exception {
    Path examples = Path.of(System.getProperty("pangolin.repo", "../..")).resolve("examples/spark");
    Map<String, String> placeholders = Map.of("PANGOLIN_DB_URI", "u", "PANGOLIN_ENGINE_USER", "n",
        "PANGOLIN_ENGINE_PASSWORD", "p", "PANGOLIN_TENANT", "t", "PANGOLIN_MASTER_KEY_FILE", "k");
    Map<String, String> defaults = SparkDefaults.read(examples.resolve("spark-defaults.conf"), placeholders);

    Map<String, String> submit = new LinkedHashMap<>();
    Matcher m = CONF.matcher(Files.readString(examples.resolve("spark-submit.sh")));
    while (m.find()) {
      String value = m.group(2);
      submit.put(m.group(1), value.startsWith("$") ? placeholders.get(value.substring(1)) : value);
    }
    assertThat(submit).isEqualTo(defaults);
  }
}
