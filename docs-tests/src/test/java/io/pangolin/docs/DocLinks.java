package io.pangolin.docs;

import io.pangolin.docs.DocBlocks.Block;
import io.pangolin.docs.DocBlocks.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links rule: every relative link of a document (inline {@code [text](target)}, image, or reference
 * definition {@code [id]: target}) names a file or directory that exists, and a {@code #anchor} into a Markdown
 * file (or into the document itself) names one of its headings, with GitHub's anchors, or an HTML
 * {@code id}/{@code name} it declares. Links in code blocks and code spans are not links; links with a scheme
 * ({@code https:}, {@code mailto:}) are not checked.
 */
final class DocLinks {

  private static final Pattern INLINE = Pattern.compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
  private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");
  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*:|//)");
  private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
  private static final Pattern ATX = Pattern.compile("^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$");
  private static final Pattern SETEXT = Pattern.compile("^ {0,3}(=+|-+)\\s*$");
  private static final Pattern HTML_ID = Pattern.compile("<[a-zA-Z][^>]*\\s(?:id|name)=\"([^\"]+)\"");

  private final Path root;
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  /** Resolves links from documents under {@code root} (the repository: the target of a link starting with /). */
  DocLinks(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** The broken links of {@code file} (whose text is {@code text}), named by its path from the root. */
  List<Violation> check(Path file, String text) {
    Path absolute = file.toAbsolutePath().normalize();
    String name = root.relativize(absolute).toString();
    DocBlocks.Parsed parsed = DocBlocks.parse(name, text);
    List<Violation> violations = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (inBlock(parsed.blocks(), i + 1)) {
        continue;
      }
      String line = CODE_SPAN.matcher(lines[i]).replaceAll("");
      List<String> targets = new ArrayList<>();
      Matcher inline = INLINE.matcher(line);
      while (inline.find()) {
        targets.add(inline.group(1));
      }
      Matcher definition = DEFINITION.matcher(line);
      if (definition.find()) {
        targets.add(definition.group(1));
      }
      for (String target : targets) {
        String problem = problem(absolute, target);
        if (problem != null) {
          violations.add(new Violation(name, i + 1, "link " + target + ": " + problem));
        }
      }
    }
    return violations;
  }

  private String problem(Path from, String target) {
    if (target.isEmpty() || SCHEME.matcher(target).find()) {
      return null;
    }
    int hash = target.indexOf('#');
    String pathPart = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : URLDecoder.decode(target.substring(hash + 1), StandardCharsets.UTF_8);
    int query = pathPart.indexOf('?');
    if (query >= 0) {
      pathPart = pathPart.substring(0, query);
    }
    pathPart = URLDecoder.decode(pathPart.replace("+", "%2B"), StandardCharsets.UTF_8);
    Path resolved;
    if (pathPart.isEmpty()) {
      resolved = from;
    } else if (pathPart.startsWith("/")) {
      resolved = root.resolve(pathPart.substring(1)).normalize();
    } else {
      resolved = from.getParent().resolve(pathPart).normalize();
    }
    if (!Files.exists(resolved)) {
      return "no such file " + root.relativize(resolved) + " (the path is relative to this document's folder)";
    }
    if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md") && Files.isRegularFile(resolved)) {
      Set<String> known = anchors.computeIfAbsent(resolved, DocLinks::anchorsOf);
      if (!known.contains(anchor)) {
        return "no heading of " + root.relativize(resolved) + " has the anchor #" + anchor + " (it has: "
            + String.join(", ", known.stream().map(a -> "#" + a).toList()) + ")";
      }
    }
    return null;
  }

  private static boolean inBlock(List<Block> blocks, int line) {
    return blocks.stream().anyMatch(b -> line >= b.line() && line <= b.endLine());
  }

  private static Set<String> anchorsOf(Path file) {
    try {
      return anchors(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The anchors GitHub gives the headings of {@code text}, in order, and the HTML ids and names it declares. */
  static Set<String> anchors(String name, String text) {
    DocBlocks.Parsed parsed = DocBlocks.parse(name, text);
    String[] lines = text.split("\r?\n", -1);
    Set<String> found = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.length; i++) {
      if (inBlock(parsed.blocks(), i + 1)) {
        continue;
      }
      String heading = null;
      Matcher atx = ATX.matcher(lines[i]);
      if (atx.matches()) {
        heading = atx.group(1) == null ? "" : atx.group(1);
      } else if (i + 1 < lines.length && !lines[i].isBlank() && SETEXT.matcher(lines[i + 1]).matches()
          && !inBlock(parsed.blocks(), i + 2) && !lines[i].startsWith("    ")) {
        heading = lines[i].strip();
      }
      if (heading != null) {
        String slug = slug(heading);
        int count = seen.merge(slug, 1, Integer::sum);
        found.add(count == 1 ? slug : slug + "-" + (count - 1));
      }
      Matcher id = HTML_ID.matcher(lines[i]);
      while (id.find()) {
        found.add(id.group(1));
      }
    }
    return found;
  }

  /** GitHub's anchor for a heading: its text without markup, lower case, punctuation dropped, spaces as -. */
  static String slug(String heading) {
    String text = heading
        .replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1")   // links and images: their text
        .replaceAll("<[^>]+>", "");                       // HTML tags
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
  }
}
