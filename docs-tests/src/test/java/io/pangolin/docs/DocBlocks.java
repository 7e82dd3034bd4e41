package io.pangolin.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code blocks of a Markdown document and the rules they follow, so that no shell block goes unrun without the
 * reader being told:
 *
 * <ol>
 *   <li>every fenced block (``` or ~~~, of any length) names its language, and there are no indented code blocks:
 *       a block without a language could be a shell block that nothing runs;</li>
 *   <li>shell blocks are those labelled {@code sh}, {@code bash}, {@code shell}, {@code console} or {@code zsh};</li>
 *   <li>a shell block is <em>illustrative</em> when the nearest non-blank line above it that the reader sees
 *       contains the word "Illustrative" (any case), for example {@code *Illustrative, not run as written:*};
 *       every other shell block is <em>run</em> by DocsIT as written. HTML comments are not seen, so a marker in one
 *       does not count (and is reported, since it was surely meant as one).</li>
 * </ol>
 *
 * Links are checked by {@link DocLinks}.
 */
final class DocBlocks {

  static final Set<String> SHELL_LANGUAGES = Set.of("sh", "bash", "shell", "console", "zsh");

  /** The word that marks the next shell block illustrative, in the text a reader sees. */
  static final Pattern MARKER = Pattern.compile("\\billustrative\\b", Pattern.CASE_INSENSITIVE);

  private static final Pattern OPENING = Pattern.compile("^( *)(`{3,}|~{3,})(.*)$");
  private static final Pattern LIST_ITEM = Pattern.compile("^ {0,3}([-*+]|\\d{1,9}[.)])(\\s|$)");

  /**
   * One fenced block: {@code line} is its opening fence's (1-based), {@code endLine} its closing fence's, the body
   * with the fence's indentation removed. {@code language} is the first word of the info string, lower case; empty
   * when there is none.
   */
  record Block(String file, int line, int endLine, String language, List<String> body, boolean illustrative) {

    boolean shell() {
      return SHELL_LANGUAGES.contains(language);
    }

    /** A shell block DocsIT runs as written. */
    boolean run() {
      return shell() && !illustrative;
    }

    String text() {
      return body.isEmpty() ? "" : String.join("\n", body) + "\n";
    }

    String where() {
      return file + ":" + line;
    }
  }

  /** A broken rule, at {@code file:line}, with what to do about it. */
  record Violation(String file, int line, String message) {
    @Override
    public String toString() {
      return file + ":" + line + ": " + message;
    }
  }

  record Parsed(String file, List<Block> blocks, List<Violation> violations) {

    List<Block> runBlocks() {
      return blocks.stream().filter(Block::run).toList();
    }
  }

  private DocBlocks() {
  }

  /** The blocks of {@code text} and the block rules it breaks; {@code file} names it in both. */
  static Parsed parse(String file, String text) {
    List<Block> blocks = new ArrayList<>();
    List<Violation> violations = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);

    boolean inComment = false;
    String lastSeen = null;       // the nearest non-blank line a reader sees
    int hiddenMarker = 0;         // a marker in an HTML comment since then (its line), or 0
    boolean previousBlank = true;
    boolean inList = false;
    boolean inIndentedCode = false;

    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int number = i + 1;
      boolean blank = line.isBlank();

      if (!inComment) {
        Matcher open = OPENING.matcher(line);
        if (open.matches() && !(open.group(2).charAt(0) == '`' && open.group(3).contains("`"))) {
          int indent = open.group(1).length();
          String fence = open.group(2);
          String language = open.group(3).strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
          boolean illustrative = lastSeen != null && MARKER.matcher(lastSeen).find();
          int close = closingFence(lines, i + 1, fence);
          List<String> body = new ArrayList<>();
          for (int j = i + 1; j < (close < 0 ? lines.length : close); j++) {
            body.add(unindent(lines[j], indent));
          }
          Block block = new Block(file, number, close < 0 ? lines.length : close + 1, language, List.copyOf(body),
              illustrative);
          blocks.add(block);
          if (language.isEmpty()) {
            violations.add(new Violation(file, number, "a code block without a language: name it after the fence"
                + " (" + fence + "bash for commands DocsIT runs, " + fence + "text for output or diagrams, "
                + fence + "properties, " + fence + "sql, ...)"));
          }
          if (block.shell() && !illustrative && hiddenMarker > 0) {
            violations.add(new Violation(file, number, "this " + language + " block is run: the 'Illustrative'"
                + " marker at line " + hiddenMarker + " is in an HTML comment, which readers do not see; put it in"
                + " the text just above the block (e.g. *Illustrative, not run as written:* ...)"));
          }
          if (close < 0) {
            violations.add(new Violation(file, number, "this fence is never closed: close it with " + fence));
            break;
          }
          i = close;
          lastSeen = lines[close];
          hiddenMarker = 0;
          previousBlank = false;
          inIndentedCode = false;
          continue;
        }
      }

      // What the reader sees of the line: HTML comments removed, possibly across lines.
      StringBuilder seen = new StringBuilder();
      StringBuilder hidden = new StringBuilder();
      int at = 0;
      while (at < line.length()) {
        if (inComment) {
          int end = line.indexOf("-->", at);
          hidden.append(line, at, end < 0 ? line.length() : end);
          if (end < 0) {
            at = line.length();
          } else {
            at = end + 3;
            inComment = false;
          }
        } else {
          int start = line.indexOf("<!--", at);
          seen.append(line, at, start < 0 ? line.length() : start);
          if (start < 0) {
            at = line.length();
          } else {
            at = start + 4;
            inComment = true;
          }
        }
      }
      if (MARKER.matcher(hidden).find()) {
        hiddenMarker = number;
      }
      String visible = seen.toString();
      if (visible.isBlank()) {
        previousBlank = previousBlank || blank;
        continue;
      }

      int indent = indentation(visible);
      if (LIST_ITEM.matcher(visible).find()) {
        inList = true;
      } else if (indent == 0 && previousBlank) {
        inList = false;
      }
      if (indent >= 4 && !inList && (previousBlank || inIndentedCode)) {
        if (!inIndentedCode) {
          violations.add(new Violation(file, number, "an indented code block: fence it and name its language"
              + " (```bash for commands DocsIT runs, ```text for anything else)"));
        }
        inIndentedCode = true;
      } else {
        inIndentedCode = false;
      }
      lastSeen = visible;
      hiddenMarker = 0;
      previousBlank = false;
    }
    return new Parsed(file, List.copyOf(blocks), List.copyOf(violations));
  }

  /** The index of the line closing a block opened by {@code fence}, from {@code from}; -1 when none does. */
  private static int closingFence(String[] lines, int from, String fence) {
    Pattern closing = Pattern.compile("^ *" + Pattern.quote(fence.substring(0, 1)) + "{" + fence.length() + ",}\\s*$");
    for (int j = from; j < lines.length; j++) {
      if (closing.matcher(lines[j]).matches()) {
        return j;
      }
    }
    return -1;
  }

  private static String unindent(String line, int indent) {
    int strip = 0;
    while (strip < indent && strip < line.length() && line.charAt(strip) == ' ') {
      strip++;
    }
    return line.substring(strip);
  }

  private static int indentation(String line) {
    int columns = 0;
    for (char c : line.toCharArray()) {
      if (c == ' ') {
        columns++;
      } else if (c == '\t') {
        columns += 4 - columns % 4;
      } else {
        break;
      }
    }
    return columns;
  }
}
