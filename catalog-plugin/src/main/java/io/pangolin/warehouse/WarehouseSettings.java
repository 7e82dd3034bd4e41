package io.pangolin.warehouse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

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

  /**
   * IAM role that {@code pangolin serve} assumes, with the warehouse's own static keys, to vend REST clients
   * temporary credentials confined to one table. Unset: no credentials are vended.
   */
  public static final String ASSUME_ROLE_ARN = "assume-role-arn";

  /** External id the role's trust policy requires, if it requires one. */
  public static final String ASSUME_ROLE_EXTERNAL_ID = "assume-role-external-id";

  /** STS endpoint URL. Default: AWS's regional STS endpoint for the warehouse's region. */
  public static final String STS_ENDPOINT = "sts-endpoint";

  /** Lifetime of vended credentials in seconds, 900 to 43200; the role's maximum session duration must allow it. */
  public static final String VENDED_CREDENTIALS_DURATION = "vended-credentials-duration";

  public static final int VENDED_CREDENTIALS_DURATION_DEFAULT = 3600;
  public static final int VENDED_CREDENTIALS_DURATION_MIN = 900;
  public static final int VENDED_CREDENTIALS_DURATION_MAX = 43200;

  /**
   * How engines reach the warehouse's files: {@link #STORAGE_ACCESS_KEYS} (the default: with the warehouse's
   * credentials) or {@link #STORAGE_ACCESS_REMOTE_SIGNING} (every request signed by {@code pangolin serve} at
   * {@link #SIGNER_URI}, so an engine never holds the warehouse's key, which only the endpoint can read).
   */
  public static final String STORAGE_ACCESS = "storage-access";

  public static final String STORAGE_ACCESS_KEYS = "keys";
  public static final String STORAGE_ACCESS_REMOTE_SIGNING = "remote-signing";

  /** Base URL of the pangolin serve that signs for a remote-signing warehouse, e.g. https://pangolin.example:8181. */
  public static final String SIGNER_URI = "signer-uri";

  /** Prefix of extra FileIO properties passed through as they are, e.g. fileio.s3.sse.type=s3. */
  public static final String FILEIO_PREFIX = "fileio.";

  private static final Set<String> KNOWN = Set.of(ENDPOINT, REGION, PATH_STYLE_ACCESS, CHECKSUM_MODE,
      ASSUME_ROLE_ARN, ASSUME_ROLE_EXTERNAL_ID, STS_ENDPOINT, VENDED_CREDENTIALS_DURATION, STORAGE_ACCESS, SIGNER_URI);

  /** IAM's own shape of a role ARN: partition, 12-digit account, then an optional path and the role name. */
  public static final Pattern ROLE_ARN =
      Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64})");

  /** STS's own constraint on ExternalId. */
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  /**
   * The FileIO keys a warehouse may set: none of them can send its requests to another host, sign them elsewhere,
   * swap its client or credentials, or write outside the engine's temporary files. Anything else is refused, so
   * a key a future Iceberg adds is refused until it is judged.
   */
  private static final Set<String> ALLOWED_FILEIO_KEYS = Set.of(
      "s3.sse.type", "s3.sse.key", "s3.sse.md5", "s3.acl", "s3.write.storage-class",
      "s3.multipart.num-threads", "s3.multipart.part-size-bytes", "s3.multipart.threshold",
      "s3.delete.batch-size", "s3.delete.num-threads", "s3.delete-enabled",
      "s3.write.table-tag-enabled", "s3.write.namespace-tag-enabled",
      "s3.checksum-enabled", "s3.chunked-encoding-enabled",
      "s3.retry.num-retries", "s3.retry.min-wait-ms", "s3.retry.max-wait-ms");

  /** Tags written on objects, or set on them instead of deleting them. */
  private static final List<String> ALLOWED_FILEIO_PREFIXES = List.of("s3.write.tags.", "s3.delete.tags.");

  /**
   * Settings whose values are secrets: stored sealed with the master key, never taken from a command line, and
   * shown only masked. s3.sse.key is the customer key for SSE-C (or the KMS key id for kms, sealed all the same).
   */
  private static final Set<String> SECRET_SETTINGS = Set.of(FILEIO_PREFIX + "s3.sse.key");

  private static final Set<String> SSE_TYPES = Set.of("none", "s3", "kms", "dsse-kms", "custom");

  private WarehouseSettings() {}

  /** Returns the settings with their values trimmed, or fails naming the warehouse, the key and the fix. */
  public static Map<String, String> validate(String warehouse, Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    settings.forEach((key, raw) -> {
      String value = raw == null ? "" : raw.trim();
      if (key.startsWith(FILEIO_PREFIX)) {
        String fileIoKey = key.substring(FILEIO_PREFIX.length());
        boolean allowed = ALLOWED_FILEIO_KEYS.contains(fileIoKey)
            || ALLOWED_FILEIO_PREFIXES.stream().anyMatch(fileIoKey::startsWith);
        if (!allowed) {
          throw invalid(warehouse, key, "this FileIO key is not on the allow list, because it could send the"
              + " warehouse's requests elsewhere or replace its client or credentials. Endpoint, region and"
              + " path-style access are settings of their own; credentials come from the warehouse's credential type"
              + " ('warehouse set-credentials'). Leave it out, or use an allowed key: " + FILEIO_PREFIX + " followed by"
              + " one of " + new TreeSet<>(ALLOWED_FILEIO_KEYS) + ", s3.write.tags.* or s3.delete.tags.*");
        }
      } else if (!KNOWN.contains(key)) {
        throw invalid(warehouse, key, "unknown setting; known settings are " + KNOWN + " and " + FILEIO_PREFIX + "*");
      }
      switch (key) {
        case STORAGE_ACCESS -> {
          if (!value.equals(STORAGE_ACCESS_KEYS) && !value.equals(STORAGE_ACCESS_REMOTE_SIGNING)) {
            throw invalid(warehouse, key, "expected " + STORAGE_ACCESS_KEYS + " (engines use the warehouse's"
                + " credentials) or " + STORAGE_ACCESS_REMOTE_SIGNING + " (pangolin serve signs every request), got '"
                + value + "'");
          }
        }
        case ENDPOINT, STS_ENDPOINT, SIGNER_URI -> {
          if (!value.startsWith("http://") && !value.startsWith("https://")) {
            throw invalid(warehouse, key, "expected an http:// or https:// URL, got '" + value + "'");
          }
        }
        case ASSUME_ROLE_ARN -> {
          if (!ROLE_ARN.matcher(value).matches()) {
            throw invalid(warehouse, key, "expected an IAM role ARN such as arn:aws:iam::123456789012:role/name"
                + " (partition, 12-digit account, optional path), got '" + value + "'");
          }
        }
        case ASSUME_ROLE_EXTERNAL_ID -> {
          if (!EXTERNAL_ID.matcher(value).matches()) {
            throw invalid(warehouse, key, "expected the external id the role's trust policy names: 2 to 1224"
                + " characters of letters, digits and + = , . @ : / - _ (got " + value.length() + " characters)");
          }
        }
        case VENDED_CREDENTIALS_DURATION -> validateDuration(warehouse, key, value);
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
        case FILEIO_PREFIX + "s3.sse.type" -> {
          if (!SSE_TYPES.contains(value)) {
            throw invalid(warehouse, key, "expected one of " + new TreeSet<>(SSE_TYPES) + ", got '" + value + "'");
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

  /** True when engines sign this warehouse's requests through pangolin serve ({@link #STORAGE_ACCESS}). */
  public static boolean signsRemotely(Map<String, String> settings) {
    return STORAGE_ACCESS_REMOTE_SIGNING.equals(settings.get(STORAGE_ACCESS));
  }

  /**
   * Fails, naming the warehouse and the fix, when a warehouse's complete settings (not an update's part of them)
   * do not fit together or with its credential type.
   */
  public static void requireComplete(String warehouse, Map<String, String> settings, CredentialType credentials) {
    if (!signsRemotely(settings)) {
      return;
    }
    if (!settings.containsKey(SIGNER_URI)) {
      throw invalid(warehouse, STORAGE_ACCESS, STORAGE_ACCESS_REMOTE_SIGNING + " needs the address of the pangolin"
          + " serve that signs: add --setting " + SIGNER_URI + "=https://<host>:<port>");
    }
    if (credentials != CredentialType.STATIC) {
      throw invalid(warehouse, STORAGE_ACCESS, STORAGE_ACCESS_REMOTE_SIGNING + " signs with the warehouse's own"
          + " static key, and the warehouse uses credential type '" + credentials.code() + "': give it static"
          + " credentials (--credentials static --access-key-id ID --secret-env VAR), or use "
          + STORAGE_ACCESS + "=" + STORAGE_ACCESS_KEYS);
    }
  }

  /** True for settings whose values are secrets (sealed at rest, masked when shown). */
  public static boolean isSecret(String key) {
    return SECRET_SETTINGS.contains(key);
  }

  /** The settings as they may be shown: secret values masked. */
  public static Map<String, String> masked(Map<String, String> settings) {
    Map<String, String> out = new TreeMap<>();
    settings.forEach((key, value) -> out.put(key, isSecret(key) ? "***" : value));
    return out;
  }

  private static void validateDuration(String warehouse, String key, String value) {
    int seconds;
    try {
      seconds = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < VENDED_CREDENTIALS_DURATION_MIN || seconds > VENDED_CREDENTIALS_DURATION_MAX) {
      throw invalid(warehouse, key, "expected whole seconds from " + VENDED_CREDENTIALS_DURATION_MIN + " to "
          + VENDED_CREDENTIALS_DURATION_MAX + " (STS's bounds; the role's maximum session duration must allow it),"
          + " got '" + value + "'");
    }
  }

  private static IllegalArgumentException invalid(String warehouse, String key, String why) {
    return new IllegalArgumentException(
        "Invalid setting '" + key + "' for warehouse '" + warehouse + "': " + why);
  }
}
