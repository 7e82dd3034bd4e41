package io.pangolin.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pangolin.docs.DocBlocks.Block;
import io.pangolin.docs.DocBlocks.Parsed;
import io.pangolin.docs.DocBlocks.Violation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documentation rules (see {@link DocBlocks} and {@link DocLinks}) over README.md and docs/, and each rule shown
 * catching a planted violation.
 */
class DocBlocksTest {

  @Test
  void theReadmeAndDocsFollowTheRules() {
    Path root = Documents.repo();
    DocLinks links = new DocLinks(root);
    List<Violation> violations = new ArrayList<>();
    for (Path document : Documents.discover(root)) {
      String text = Documents.read(document);
      violations.addAll(DocBlocks.parse(Documents.name(root, document), text).violations());
      violations.addAll(links.check(document, text));
    }
    if (!violations.isEmpty()) {
      fail("Every code block names its language, every shell block is run by DocsIT or marked illustrative in the"
          + " text just above it, and every relative link resolves; " + violations.size() + " do not:\n  "
          + String.join("\n  ", violations.stream().map(Violation::toString).toList()));
    }
  }

  @Test
  void theSampleOperatorPathFollowsTheRulesAndHasBlocksToRun() {
    Path sample = Path.of("src/test/resources/sample-operator-path.md").toAbsolutePath();
    String text = Documents.read(sample);
    Parsed parsed = DocBlocks.parse("sample-operator-path.md", text);
    assertThat(parsed.violations()).isEmpty();
    assertThat(new DocLinks(Documents.repo()).check(sample, text)).isEmpty();
    assertThat(parsed.runBlocks()).hasSizeGreaterThan(2);
    assertThat(parsed.blocks()).anyMatch(b -> b.shell() && b.illustrative());
  }

  @Test
  void aFenceWithoutALanguageIsAnError() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        # Title

        ```
        pangolin tenant create demo
        ```

        ~~~~
        inside a tilde fence
        ~~~~
        """);
    assertThat(parsed.violations()).extracting(Violation::line).containsExactly(3, 7);
    assertThat(parsed.violations().get(0).toString())
        .startsWith("doc.md:3: a code block without a language: name it after the fence (```bash");
    assertThat(parsed.violations().get(1).toString()).contains("~~~~bash");
    assertThat(parsed.blocks()).extracting(Block::text)
        .containsExactly("pangolin tenant create demo\n", "inside a tilde fence\n");
  }

  @Test
  void anIndentedCodeBlockIsAnError() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        Run this:

            pangolin schema migrate
            pangolin tenant create demo

        - a list item

            its second paragraph, indented: not code
        """);
    assertThat(parsed.violations()).extracting(Violation::toString)
        .containsExactly("doc.md:3: an indented code block: fence it and name its language (```bash for commands"
            + " DocsIT runs, ```text for anything else)");
  }

  @Test
  void aFenceThatIsNeverClosedIsAnError() {
    Parsed parsed = DocBlocks.parse("doc.md", "Text\n\n```bash\necho one\n``\n");
    assertThat(parsed.violations()).extracting(Violation::toString)
        .containsExactly("doc.md:3: this fence is never closed: close it with ```");
  }

  @Test
  void shellBlocksAreTheFiveShellLanguages() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        ```sh
        a
        ```
        ```Bash title="setup"
        b
        ```
        ```shell
        c
        ```
        ```console
        d
        ```
        ```zsh
        e
        ```
        ```sql
        SELECT 1
        ```
        ```text
        f
        ```
        """);
    assertThat(parsed.violations()).isEmpty();
    assertThat(parsed.blocks()).extracting(Block::language)
        .containsExactly("sh", "bash", "shell", "console", "zsh", "sql", "text");
    assertThat(parsed.runBlocks()).extracting(Block::language)
        .containsExactly("sh", "bash", "shell", "console", "zsh");
  }

  @Test
  void aShellBlockIsIllustrativeOnlyWhenTheLineAboveItSaysSo() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        *Illustrative, not run as written:* create the bucket with your store's own tool.

        ```bash
        aws s3 mb s3://lake-bucket
        ```

        Then migrate the schema (an ILLUSTRATIVE example is elsewhere; this line is the marker all the same):
        ```sh
        pangolin schema migrate
        ```

        This illustrative paragraph is not the nearest line:
        it ends here.

        ```bash
        pangolin tenant create demo
        ```
        ```bash
        pangolin tenant list
        ```

        Illustratively speaking, this is not the word.

        ```bash
        pangolin catalog list --tenant demo
        ```
        """);
    assertThat(parsed.violations()).isEmpty();
    assertThat(parsed.blocks()).extracting(b -> b.line() + " " + (b.illustrative() ? "illustrative" : "run"))
        .containsExactly("3 illustrative", "8 illustrative", "15 run", "18 run", "24 run");
  }

  @Test
  void aMarkerInAnHtmlCommentDoesNotCountAndIsReported() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        Set up the warehouse:

        <!-- Illustrative: readers never see this -->
        ```bash
        pangolin warehouse create --tenant demo lake ...
        ```

        <!--
        illustrative, over several lines
        -->

        ```bash
        pangolin catalog create --tenant demo lake --warehouse lake
        ```

        *Illustrative:* seen by the reader, with a comment after it.
        <!-- a note for writers -->
        ```bash
        pangolin warehouse show --tenant demo lake
        ```
        """);
    assertThat(parsed.blocks()).extracting(Block::illustrative).containsExactly(false, false, true);
    assertThat(parsed.violations()).extracting(Violation::toString).containsExactly(
        "doc.md:4: this bash block is run: the 'Illustrative' marker at line 3 is in an HTML comment, which readers"
            + " do not see; put it in the text just above the block (e.g. *Illustrative, not run as written:* ...)",
        "doc.md:12: this bash block is run: the 'Illustrative' marker at line 9 is in an HTML comment, which readers"
            + " do not see; put it in the text just above the block (e.g. *Illustrative, not run as written:* ...)");
  }

  @Test
  void fencesOfAnyLengthAndIndentation() {
    Parsed parsed = DocBlocks.parse("doc.md", """
        - a list item with a block:

          ```bash
          echo "in the list"
            indented more
          ```

        ````markdown
        ```bash
        not a block of its own
        ```
        ````
        """);
    assertThat(parsed.violations()).isEmpty();
    assertThat(parsed.blocks()).hasSize(2);
    assertThat(parsed.blocks().get(0).text()).isEqualTo("echo \"in the list\"\n  indented more\n");
    assertThat(parsed.blocks().get(0).line()).isEqualTo(3);
    assertThat(parsed.blocks().get(1).language()).isEqualTo("markdown");
    assertThat(parsed.blocks().get(1).body()).hasSize(3);
  }

  @Test
  void relativeLinksAndAnchorsMustResolve(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/operating.md"), """
        # Operating Pangolin

        ## Keys & secrets (`pangolin key`)

        ## Keys & secrets (`pangolin key`)

        Upgrades
        --------
        <a id="exit-codes"></a>
        """);
    Files.createDirectories(root.resolve("examples"));
    Files.writeString(root.resolve("examples/setup.sh"), "echo\n");
    String readme = """
        # Pangolin

        See [operating](docs/operating.md), [keys](docs/operating.md#keys--secrets-pangolin-key),
        [again](docs/operating.md#keys--secrets-pangolin-key-1), [upgrades](./docs/operating.md#upgrades),
        [codes](docs/operating.md#exit-codes), [the script](examples/setup.sh "a title"),
        [the site](https://example.com/missing.md), [here](#pangolin), ![logo](/examples/setup.sh).

        Broken: [gone](docs/missing.md), [no heading](docs/operating.md#keys), [self](#nothing),
        `[in code](docs/nowhere.md)`.

        ```bash
        echo "[not a link](docs/nowhere.md)"
        ```

        [ref]: docs/also-missing.md
        """;
    Files.writeString(root.resolve("README.md"), readme);
    List<Violation> violations = new DocLinks(root).check(root.resolve("README.md"), readme);
    assertThat(violations).extracting(Violation::toString).containsExactly(
        "README.md:8: link docs/missing.md: no such file docs/missing.md (the path is relative to this document's"
            + " folder)",
        "README.md:8: link docs/operating.md#keys: no heading of docs/operating.md has the anchor #keys (it has:"
            + " #operating-pangolin, #keys--secrets-pangolin-key, #keys--secrets-pangolin-key-1, #upgrades,"
            + " #exit-codes)",
        "README.md:8: link #nothing: no heading of README.md has the anchor #nothing (it has: #pangolin)",
        "README.md:15: link docs/also-missing.md: no such file docs/also-missing.md (the path is relative to this"
            + " document's folder)");
  }
}
