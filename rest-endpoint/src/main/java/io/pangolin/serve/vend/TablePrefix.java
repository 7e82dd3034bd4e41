package io.pangolin.serve.vend;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A table's location split into bucket and key prefix, checked so that it can stand in an IAM policy as a literal:
 * IAM reads {@code *} and {@code ?} in resources and conditions as wildcards and {@code ${...}} as policy
 * variables, so a location holding any of them would grant more than the table. JSON escaping is Jackson's.
 *
 * @param location the location as given without trailing slashes: the vended credential's prefix, which a
 *     client matches against the table's file paths
 * @param bucket the bucket
 * @param keyPrefix the key prefix inside the bucket, without leading or trailing slashes, never empty
 */
public record TablePrefix(String location, String bucket, String keyPrefix) {

  private static final Pattern LOCATION = Pattern.compile("(s3|s3a|s3n)://([^/]*)/?(.*?)/*", Pattern.DOTALL);
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern IAM_SPECIAL = Pattern.compile("[*?$\\p{Cntrl}]");

  public TablePrefix {
    requireNonNull(location, "location");
    requireNonNull(bucket, "bucket");
    requireNonNull(keyPrefix, "keyPrefix");
  }

  /** Parses {@code location} of {@code table}, or fails naming both and what is wrong. */
  public static TablePrefix parse(String table, String location) {
    var matcher = LOCATION.matcher(location);
    if (!matcher.matches()) {
      throw refused(table, location, "only s3://bucket/prefix locations (also s3a, s3n) can have credentials vended");
    }
    String bucket = matcher.group(2);
    String keyPrefix = matcher.group(3);
    if (!BUCKET.matcher(bucket).matches()) {
      throw refused(table, location, "'" + bucket + "' is not an S3 bucket name (3-63 characters of lower-case"
          + " letters, digits, dots and hyphens)");
    }
    if (keyPrefix.isEmpty()) {
      throw refused(table, location, "a table at the root of a bucket would be granted the whole bucket; move the"
          + " table under a prefix");
    }
    if (keyPrefix.startsWith("/") || keyPrefix.contains("//")) {
      throw refused(table, location, "the location has an empty path segment (//), so the keys the table's files"
          + " have are not the ones a policy would name; give the table a location without repeated slashes");
    }
    if (IAM_SPECIAL.matcher(keyPrefix).find()) {
      throw refused(table, location, "the location holds *, ?, $ or a control character, which an IAM policy reads"
          + " as a wildcard or variable and would widen the grant beyond the table; no credentials are vended for it."
          + " Give the table a location without them");
    }
    return new TablePrefix(matcher.group(1) + "://" + bucket + "/" + keyPrefix, bucket, keyPrefix);
  }

  static IllegalArgumentException refused(String table, String location, String why) {
    return new IllegalArgumentException(
        "Cannot vend credentials for table '" + table + "' at '" + location + "': " + why);
  }
}
