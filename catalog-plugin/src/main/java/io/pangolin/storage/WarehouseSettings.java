package io.pangolin.storage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The storage settings a warehouse row may hold, with their defaults. Validated when a warehouse is created or
 * updated, and again when its FileIO is built.
 */
public final class WarehouseSettings {

  /** S3 endpoint URL, for S3-compatible stores (MinIO, Ceph, ...). Default: AWS's endpoint for the region. */
  public static final String ENDPOINT = "endpoint";

  /** Region used to sign requests. Default us-east-1; never taken from the engine's environment. */
  public static final String REGION = "region";

  public static final String REGION_DEFAULT = "us-east-1";

  /** true to address buckets as endpoint/bucket/key rather than bucket.endpoint/key. Default false. */
  public static final String PATH_STYLE_ACCESS = "path-style-access";

  /**
   * when-supported (the AWS SDK's default: CRC checksums on every request) or when-required (checksums only
   * where S3 requires them, with MD5; what many S3-compatible stores need).
   */
  public static final String CHECKSUM_MODE = "checksum-mode";

  public static final String CHECKSUM_WHEN_SUPPORTED = "when-supported";
  public static final String CHECKSUM_WHEN_REQUIRED = "when-required";

  /** Prefix of extra FileIO properties passed through as they are, e.g. fileio.s3.sse.type=s3. */
  public static final String FILEIO_PREFIX = "fileio.";

  private static final Set<String> KNOWN = Set.of(ENDPOINT, REGION, PATH_STYLE_ACCESS, CHECKSUM_MODE);

  /** FileIO keys that would let a setting override the warehouse's credentials or client. */
  private static final List<String> FORBIDDEN_FILEIO_PREFIXES = List.of(
      "s3.access-key-id", "s3.secret-access-key", "s3.session-token", "client.credentials-provider",
      "client.factory", "s3.client-factory-impl", "client.assume-role", "io-impl");

  private WarehouseSettings() {}

  /** Returns the settings with their values trimmed, or fails naming the warehouse, the key and the fix. */
  public static Map<String, String> validate(String warehouse, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach((key, raw) -> {
      String value = raw == null ? "" : raw.trim();
      if (key.startsWith(FILEIO_PREFIX)) {
        String fileIoKey = key.substring(FILEIO_PREFIX.length());
        if (FORBIDDEN_FILEIO_PREFIXES.stream().anyMatch(fileIoKey::startsWith)) {
          throw invalid(warehouse, key, "credentials and clients are set by the warehouse's credential type,"
              + " not by FileIO properties");
        }
      } else if (!KNOWN.contains(key)) {
        throw invalid(warehouse, key, "unknown setting; known settings are " + KNOWN + " and " + FILEIO_PREFIX + "*");
      }
      switch (key) {
        case ENDPOINT -> {
          if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw invalid(warehouse, key, "expected an http:// or https:// URL, got '" + value + "'");
          }
        }
        case PATH_STYLE_ACCESS -> {
          if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(warehouse, key, "expected true or false, got '" + value + "'");
          }
          value = value.toLowerCase(Locale.ROOT);
        }
        case CHECKSUM_MODE -> {
          if (!value.equals(CHECKSUM_WHEN_SUPPORTED) && !value.equals(CHECKSUM_WHEN_REQUIRED)) {
            throw invalid(warehouse, key, "expected " + CHECKSUM_WHEN_SUPPORTED + " or " + CHECKSUM_WHEN_REQUIRED
                + ", got '" + value + "'");
          }
        }
        case REGION -> {
          if (value.isEmpty()) {
            throw invalid(warehouse, key, "must not be empty");
          }
        }
        default -> { }
      }
      out.put(key, value);
    });
    return out;
  }

  private static IllegalArgumentException invalid(String warehouse, String key, String why) {
    return new IllegalArgumentException(
        "Invalid setting '" + key + "' for warehouse '" + warehouse + "': " + why);
  }
}
