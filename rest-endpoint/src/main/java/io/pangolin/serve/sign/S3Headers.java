package io.pangolin.serve.sign;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The headers of a request to sign, by lower-case name, and the policy on them. Every x-amz-* header changes what
 * S3 does, so only those a table's reads and writes need are signed: content checksums, user metadata, server-side
 * encryption and storage class, and the expected bucket owner. Refused among others: x-amz-copy-source (reads an
 * object the request does not name), x-amz-acl and x-amz-grant-* (publish objects), x-amz-tagging (tag-based
 * access policies), x-amz-object-lock-* (objects no one can delete), x-amz-website-redirect-location.
 */
final class S3Headers {

  private static final Set<String> ALLOWED_AMZ = Set.of(
      "x-amz-content-sha256", "x-amz-date", "x-amz-security-token",
      "x-amz-sdk-checksum-algorithm", "x-amz-checksum-algorithm", "x-amz-checksum-type",
      "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-storage-class", "x-amz-expected-bucket-owner",
      // Asks S3 to append a checksum to a GetObject response, as AWS's SDK does; it changes only the response.
      "x-amz-te");

  private static final List<String> ALLOWED_AMZ_PREFIXES = List.of(
      "x-amz-checksum-", "x-amz-meta-", "x-amz-server-side-encryption");

  private final Map<String, List<String>> byName;

  private S3Headers(Map<String, List<String>> byName) {
    this.byName = byName;
  }

  /** The headers by lower-case name; a name given twice in different cases is malformed. */
  static S3Headers of(Map<String, List<String>> headers, String request) {
    Map<String, List<String>> byName = new TreeMap<>();
    headers.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (byName.putIfAbsent(lower, values == null ? List.of() : List.copyOf(values)) != null) {
        throw SignRefusal.malformed(request, "the header " + lower + " is given twice");
      }
    });
    return new S3Headers(byName);
  }

  /** Refuses x-amz-copy-source and any x-amz-* header outside the allow list, naming the header. */
  void checkAllowed(String request) {
    if (byName.containsKey("x-amz-copy-source")) {
      throw SignRefusal.forbidden(request, "the header x-amz-copy-source copies an object the request does not"
          + " name; copies are not signed");
    }
    for (String name : byName.keySet()) {
      boolean amz = name.startsWith("x-amz-");
      boolean allowed = ALLOWED_AMZ.contains(name) || ALLOWED_AMZ_PREFIXES.stream().anyMatch(name::startsWith);
      if (amz && !allowed) {
        throw SignRefusal.forbidden(request, "the header " + name + " is not on the signer's allow list (checksums,"
            + " x-amz-meta-*, server-side encryption, storage class, expected bucket owner)");
      }
    }
  }

  /** The single value of a header, if present; a header given several values is malformed. */
  Optional<String> single(String lowerName, String request) {
    List<String> values = byName.get(lowerName);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw SignRefusal.malformed(request, "the header " + lowerName + " has more than one value");
    }
    return Optional.of(values.get(0).trim());
  }

  Set<String> names() {
    return byName.keySet();
  }
}
