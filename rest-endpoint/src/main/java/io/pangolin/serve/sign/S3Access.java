package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What one S3 request would do, once classified: read or write, in which bucket, on which object keys (for a
 * listing, the one prefix it lists). Keys are decoded, checked and never empty.
 *
 * @param access the privilege the request needs on the table holding its objects
 * @param operation the S3 operation's name, e.g. GetObject, for messages
 * @param bucket the bucket the request addresses
 * @param keys the object keys it touches, or the listing's prefix
 * @param listing true when {@code keys} is one listing prefix rather than object keys
 */
public record S3Access(Access access, String operation, String bucket, List<String> keys, boolean listing) {

  /** The privilege a request needs: reading objects (and listing them) or writing and deleting them. */
  public enum Access { READ, WRITE }

  public S3Access {
    requireNonNull(access, "access");
    requireNonNull(operation, "operation");
    requireNonNull(bucket, "bucket");
    keys = List.copyOf(keys);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException(operation + " touches no object key");
    }
    if (listing && keys.size() != 1) {
      throw new IllegalArgumentException(operation + " lists exactly one prefix, got " + keys.size());
    }
  }

  static S3Access object(Access access, String operation, String bucket, String key) {
    return new S3Access(access, operation, bucket, List.of(key), false);
  }

  /** The locations this request touches as s3://bucket/key, for the database to compare with table locations. */
  public List<String> locations() {
    return keys.stream().map(key -> "s3://" + bucket + "/" + key).toList();
  }

  /** A short description for messages: the operation and its first location. */
  public String describe() {
    String first = locations().get(0);
    String more = keys.size() > 1 ? " and " + (keys.size() - 1) + " more" : "";
    return operation + " " + first + more;
  }
}
