package io.pangolin.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code # prints: X} comment in a run block is a promise the run checks: whole words, in order, on one line. */
class DocRunTest {

  @TempDir
  Path dir;

  @Test
  void aPromisedOutputThatIsShownPasses() throws Exception {
    DocRun.Result result = run("""
        printf '2\\t29.5\\n'    # prints: 2 29.5
        echo "x" \\
          "id=7 by demo_etl"    # prints: demo_etl
        echo "
          several lines, one of them
          saying count 3" # prints: count 3
        echo "{endpoint=x, region=eu-west-1}"    # prints: region=eu-west-1
        echo "10 20"    # prints: 20
        echo last    # prints: last
        """);
    assertThat(result.passed()).as(result.output()).isTrue();
    assertThat(result.output()).contains("2\t29.5", "id=7 by demo_etl", "saying count 3", "last");
  }

  @Test
  void aPromisedOutputThatIsNotShownFailsNamingIt() throws Exception {
    DocRun.Result partOfAWord = run("echo 10    # prints: 0\n");
    assertThat(partOfAWord.passed()).isFalse();
    assertThat(partOfAWord.output()).contains("10", "expected the output above to show: 0");

    DocRun.Result insideANumber = run("echo 129.5    # prints: 29.5\n");
    assertThat(insideANumber.passed()).isFalse();

    DocRun.Result wrongOrder = run("echo 29.5 2    # prints: 2 29.5\necho never\n");
    assertThat(wrongOrder.passed()).isFalse();
    assertThat(wrongOrder.output()).doesNotContain("never");
  }

  @Test
  void theCommandsOwnFailureStillFails() throws Exception {
    DocRun.Result failed = run("(echo 3; exit 4)    # prints: 3\n");
    assertThat(failed.exitCode()).isEqualTo(4);
  }

  private DocRun.Result run(String text) throws Exception {
    DocBlocks.Block block = new DocBlocks.Block("t.md", 1, 9, "sh", List.of(text.split("\n")), false);
    String script = DocRun.script("t.md", List.of(block), null, null);
    return DocRun.run("t.md", script, dir.resolve("t.sh"), dir.resolve("t.log"), dir,
        Map.of("PATH", System.getenv("PATH")), Duration.ofSeconds(30));
  }
}
