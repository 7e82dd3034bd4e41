package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Locale;

/**
 * A table's location as {@code s3://bucket/prefix}, and whether a classified request lies entirely under it. The
 * prefix ends at a '/' boundary, so table {@code t1} does not hold the objects of {@code t10}.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, without leading '/' and ending with exactly one '/'
 */
public record TableLocation(String bucket, String prefix) {

  public TableLocation {
    requireNonNull(bucket, "bucket");
    requireNonNull(prefix, "prefix");
    if (bucket.isEmpty() || prefix.isEmpty() || !prefix.endsWith("/") || prefix.startsWith("/")) {
      throw new IllegalArgumentException("a table location needs a bucket and a key prefix ending in '/'");
    }
    ObjectKeys.problem(prefix, true).ifPresent(why -> {
      throw new IllegalArgumentException("table location prefix '" + prefix + "' is not usable: " + why);
    });
  }

  /** Parses {@code s3://bucket/prefix} (also s3a:// and s3n://, as Iceberg's S3FileIO accepts them). */
  public static TableLocation parse(String location) {
    requireNonNull(location, "location");
    URI uri = URI.create(location.trim());
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("s3") && !scheme.equals("s3a") && !scheme.equals("s3n") || uri.getAuthority() == null) {
      throw new IllegalArgumentException("table location '" + location + "' is not an s3://bucket/prefix location");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String prefix = path.startsWith("/") ? path.substring(1) : path;
    while (prefix.endsWith("//")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return new TableLocation(uri.getAuthority(), prefix.endsWith("/") ? prefix : prefix + "/");
  }

  /**
   * True when every key of {@code access} is in this bucket under this prefix. A listing may list the table's own
   * prefix; one without the trailing '/' (warehouse/ns/t1) would also list t10, so it is not contained.
   */
  public boolean contains(S3Access access) {
    requireNonNull(access, "access");
    return access.bucket().equals(bucket) && access.keys().stream()
        .allMatch(key -> key.startsWith(prefix) && (access.listing() || key.length() > prefix.length()));
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + prefix;
  }
}
