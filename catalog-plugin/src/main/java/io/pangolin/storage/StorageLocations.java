package io.pangolin.storage;

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
    if (loc.contains("/../") || loc.endsWith("/..")) {
      throw new IllegalArgumentException("Invalid location '" + root + "' for warehouse '" + warehouse
          + "': '..' is not allowed in a location");
    }
  }

  /** True when {@code location} is {@code root} or below it. s3, s3a and s3n name the same store. */
  public static boolean isWithin(String location, String root) {
    String loc = comparable(location);
    String base = comparable(root);
    return loc.equals(base) || loc.startsWith(base.endsWith("/") ? base : base + "/");
  }

  public static boolean isAllowed(String location, String root, List<String> allowed) {
    if (location.contains("/../") || location.endsWith("/..")) {
      return false;
    }
    return isWithin(location, root) || allowed.stream().anyMatch(a -> isWithin(location, a));
  }

  private static String comparable(String location) {
    String loc = normalize(location);
    if (loc.startsWith("s3a://") || loc.startsWith("s3n://")) {
      loc = "s3://" + loc.substring(6);
    }
    return loc;
  }

  /**
   * The default location of a table or view: root/catalog/namespace.../name-suffix. Every segment is escaped so
   * that no name can add a path level or climb out ("a/b" and ".." stay one segment), and with the unique suffix
   * a table's directory never holds another table's files: not a dropped table of the same name, and not a
   * nested namespace whose level is this table's name.
   */
  public static String defaultLocation(String root, String catalog, String[] namespace, String name, boolean unique) {
    StringBuilder sb = new StringBuilder(normalize(root)).append('/').append(segment(catalog));
    for (String level : namespace) {
      sb.append('/').append(segment(level));
    }
    sb.append('/').append(segment(name));
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
