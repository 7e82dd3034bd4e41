package io.pangolin.warehouse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Where a warehouse's tables may live, and where they go by default. */
public final class StorageLocations {

  private StorageLocations() {}

  /** Strips trailing slashes and writes local paths one way, so prefixes compare reliably. */
  public static String normalize(String location) {
    String loc = location.trim();
    if (loc.startsWith("file:///")) {
      loc = "file:/" + loc.substring("file:///".length());
    } else if (loc.startsWith("file://")) {
      loc = "file:/" + loc.substring("file://".length());
    } else if (loc.startsWith("/")) {
      loc = "file:" + loc;
    }
    while (loc.endsWith("/") && !loc.endsWith("://") && !loc.equals("file:/")) {
      loc = loc.substring(0, loc.length() - 1);
    }
    return loc;
  }

  public static void requireValidRoot(String warehouse, String root) {
    String loc = normalize(root);
    String lower = loc.toLowerCase(Locale.ROOT);
    boolean s3 = lower.startsWith("s3://") || lower.startsWith("s3a://") || lower.startsWith("s3n://");
    if (s3 && loc.substring(loc.indexOf("://") + 3).isEmpty()) {
      throw new IllegalArgumentException("Invalid location '" + root + "' for warehouse '" + warehouse
          + "': name a bucket, e.g. s3://bucket/prefix");
    }
    if (!s3 && !lower.startsWith("file:/")) {
      throw new IllegalArgumentException("Invalid location '" + root + "' for warehouse '" + warehouse
          + "': use s3://bucket/prefix or file:/absolute/path");
    }
    try {
      canonical(loc);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid location '" + root + "' for warehouse '" + warehouse + "': "
          + e.getMessage());
    }
  }

  /** True when {@code location} is {@code root} or below it, compared as the warehouse FileIO reads them. */
  public static boolean isWithin(String location, String root) {
    try {
      String loc = canonical(location);
      String base = canonical(root);
      return loc.equals(base) || loc.startsWith(base.endsWith("/") ? base : base + "/");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** True when both locations use the same kind of store (s3, s3a and s3n are one kind), whatever their paths. */
  public static boolean sameStore(String location, String other) {
    return kind(location).equals(kind(other));
  }

  private static String kind(String location) {
    String lower = location.trim().toLowerCase(Locale.ROOT);
    if (lower.startsWith("s3://") || lower.startsWith("s3a://") || lower.startsWith("s3n://")) {
      return "s3";
    }
    return lower.startsWith("file:") || lower.startsWith("/") ? "file" : lower;
  }

  /** Refuses allowed locations in another kind of store than the root: a warehouse serves one store. */
  public static void requireSameStore(String warehouse, String root, List<String> allowed) {
    for (String location : allowed) {
      if (!sameStore(location, root)) {
        throw new IllegalArgumentException("Invalid allowed location '" + location + "' for warehouse '" + warehouse
            + "': a warehouse serves one kind of store, and its root " + root + " is in another; give a location"
            + " in the root's store, or create a warehouse of its own for " + location);
      }
    }
  }

  public static boolean isAllowed(String location, String root, List<String> allowed) {
    return isWithin(location, root) || allowed.stream().anyMatch(a -> isWithin(location, a));
  }

  /**
   * The location as the warehouse FileIO resolves it, in one spelling per place, or an error saying why it cannot
   * be resolved safely. s3, s3a and s3n become s3 (they name the same store). S3 keys are literal to S3FileIO, so
   * they are kept as written, but a '.' or '..' segment, also percent-encoded, is refused because Hadoop-based
   * readers of the same table resolve it. {@code file:} locations are percent-decoded exactly as
   * {@link LocalFileIO} decodes them, empty and '.' segments are dropped, and '..' is refused rather than resolved:
   * the file system resolves it through symbolic links, so no string comparison could say where it leads.
   */
  public static String canonical(String location) {
    int colon = location.indexOf(':');
    String scheme = colon > 0 ? location.substring(0, colon) : "";
    switch (scheme) {
      case "s3", "s3a", "s3n" -> {
        return canonicalS3(location, location.substring(colon + 1));
      }
      case "file", "" -> {
        return "file:" + localPath(location);
      }
      default -> throw new IllegalArgumentException(
          "scheme '" + scheme + "' is not served (use s3:// or file:)");
    }
  }

  private static String canonicalS3(String location, String rest) {
    if (!rest.startsWith("//")) {
      throw new IllegalArgumentException("an S3 location reads s3://bucket/key, not " + location);
    }
    String path = rest.substring(2);
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("an S3 location names a bucket: s3://bucket/key");
    }
    String key = slash < 0 ? "" : path.substring(slash + 1);
    for (String segment : key.split("/", -1)) {
      String decoded = segment.indexOf('%') >= 0 ? lenientDecode(segment) : segment;
      if (decoded.equals(".") || decoded.equals("..")) {
        throw new IllegalArgumentException("'.' and '..' segments (also as %2e) are refused");
      }
    }
    while (key.endsWith("/")) {
      key = key.substring(0, key.length() - 1);
    }
    return "s3://" + bucket + (key.isEmpty() ? "" : "/" + key);
  }

  /** The absolute local path a {@code file:} location names, decoded and normalised as described above. */
  static String localPath(String location) {
    String raw = location.startsWith("file:") ? location.substring("file:".length()) : location;
    if (raw.startsWith("//") && !raw.startsWith("///")) {
      throw new IllegalArgumentException("a file: location with a host (file://host/...) is not served;"
          + " use file:/absolute/path");
    }
    if (!raw.startsWith("/")) {
      throw new IllegalArgumentException("a file: location must be an absolute path");
    }
    String decoded = strictDecode(raw);
    if (decoded.indexOf('\0') >= 0 || decoded.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("NUL and backslash are refused in a file: location");
    }
    StringBuilder out = new StringBuilder();
    for (String segment : decoded.split("/")) {
      if (segment.equals("..")) {
        throw new IllegalArgumentException("'..' segments (also as %2e%2e or ..%2f) are refused");
      }
      if (!segment.isEmpty() && !segment.equals(".")) {
        out.append('/').append(segment);
      }
    }
    return out.length() == 0 ? "/" : out.toString();
  }

  private static String strictDecode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        int value = i + 2 < text.length() ? hex(text.charAt(i + 1), text.charAt(i + 2)) : -1;
        if (value < 0) {
          throw new IllegalArgumentException("'%' must start an escape of two hex digits");
        }
        bytes.write(value);
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("its percent escapes are not UTF-8");
    }
  }

  private static String lenientDecode(String text) {
    try {
      return strictDecode(text);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  private static int hex(char high, char low) {
    int h = Character.digit(high, 16);
    int l = Character.digit(low, 16);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  }

  /** The folder of a namespace's default table locations: root/catalog/namespace..., every segment escaped. */
  public static String namespaceLocation(String root, String catalog, String[] namespace) {
    StringBuilder sb = new StringBuilder(normalize(root)).append('/').append(segment(catalog));
    for (String level : namespace) {
      sb.append('/').append(segment(level));
    }
    return sb.toString();
  }

  /**
   * The default location of a table or view: root/catalog/namespace.../name-suffix. Every segment is escaped so
   * that no name can add a path level or climb out ("a/b" and ".." stay one segment), and with the unique suffix
   * a table's directory never holds another table's files: not a dropped table of the same name, and not a
   * nested namespace whose level is this table's name.
   */
  public static String defaultLocation(String root, String catalog, String[] namespace, String name, boolean unique) {
    StringBuilder sb = new StringBuilder(namespaceLocation(root, catalog, namespace)).append('/').append(segment(name));
    if (unique) {
      sb.append('-').append(UUID.randomUUID().toString().replace("-", ""));
    }
    return sb.toString();
  }

  /**
   * Keeps letters, digits, '_', '-' and '.', and writes every other byte as ~XX. '~' is never decoded by URI or
   * Hadoop path handling, unlike '%', so the location means the same to every engine. "." and ".." are escaped
   * whole so that a name cannot climb out of its directory.
   */
  static String segment(String name) {
    boolean dots = name.equals(".") || name.equals("..");
    StringBuilder sb = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || (c == '.' && !dots);
      if (plain) {
        sb.append(c);
      } else {
        sb.append('~').append(String.format("%02X", b & 0xff));
      }
    }
    return sb.toString();
  }
}
