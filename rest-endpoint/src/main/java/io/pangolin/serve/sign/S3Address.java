package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where an S3 request goes, read from its URI against the warehouse's target: the bucket, the object key (empty for
 * a bucket-level request) and the query parameters, each percent-decoded exactly once.
 *
 * @param bucket the bucket, from the path (path style) or the host's leftmost label (virtual host)
 * @param key the decoded object key, empty when the request addresses the bucket itself
 * @param query the decoded query parameters; a parameter without '=' (a sub-resource such as ?uploads) maps to ""
 */
record S3Address(String bucket, String key, Map<String, String> query) {

  /** S3's bucket naming rules, which also keep anything needing decoding out of a bucket name. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  S3Address {
    requireNonNull(bucket, "bucket");
    requireNonNull(key, "key");
    query = Map.copyOf(query);
  }

  boolean bucketLevel() {
    return key.isEmpty();
  }

  /**
   * Reads {@code uri} as a request to {@code target}; {@code request} names it in messages. Refuses another scheme,
   * host or port, a malformed bucket or encoding, and duplicated query parameters.
   */
  static S3Address parse(URI uri, S3Target target, String request) {
    if (!uri.isAbsolute() || uri.getHost() == null) {
      throw SignRefusal.malformed(request, "the URI is not an absolute http(s) URL with a host");
    }
    if (uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw SignRefusal.malformed(request, "the URI carries user information or a fragment");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    int port = S3Target.effectivePort(uri);
    if (!scheme.equals(target.scheme()) || port != target.port()) {
      throw SignRefusal.forbidden(request, "it is addressed to " + scheme + "://" + host + ":" + port
          + ", not to the warehouse's endpoint " + target.endpoint());
    }
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    String bucket;
    String rawKey;
    if (target.pathStyle()) {
      if (!host.equals(target.host())) {
        throw notTheEndpoint(request, host, target);
      }
      String path = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
      int slash = path.indexOf('/');
      bucket = slash < 0 ? path : path.substring(0, slash);
      rawKey = slash < 0 ? "" : path.substring(slash + 1);
    } else {
      String suffix = "." + target.host();
      if (!host.endsWith(suffix) || host.length() == suffix.length()) {
        throw notTheEndpoint(request, host, target);
      }
      bucket = host.substring(0, host.length() - suffix.length());
      rawKey = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    }
    if (!BUCKET.matcher(bucket).matches()) {
      throw SignRefusal.malformed(request, "'" + bucket + "' is not an S3 bucket name");
    }
    String key = ObjectKeys.percentDecode(rawKey)
        .orElseThrow(() -> SignRefusal.malformed(request, "the object key is not validly percent-encoded UTF-8"));
    return new S3Address(bucket, key, query(uri.getRawQuery(), request));
  }

  private static RuntimeException notTheEndpoint(String request, String host, S3Target target) {
    return SignRefusal.forbidden(request, "host " + host + " is not the warehouse's endpoint " + target.endpoint()
        + (target.pathStyle() ? " (path-style addressing)" : " (virtual-host addressing: <bucket>." + target.host()
        + ")"));
  }

  private static Map<String, String> query(String rawQuery, String request) {
    Map<String, String> out = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return out;
    }
    for (String pair : rawQuery.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (pair.indexOf('+') >= 0) {
        // S3 may read a raw '+' in a query as a space; a key read differently here and there is not signed.
        throw SignRefusal.malformed(request, "the query carries a raw '+'; encode it as %2B");
      }
      int eq = pair.indexOf('=');
      String name = decodeQuery(eq < 0 ? pair : pair.substring(0, eq), request);
      String value = eq < 0 ? "" : decodeQuery(pair.substring(eq + 1), request);
      if (out.putIfAbsent(name, value) != null) {
        throw SignRefusal.malformed(request, "the query parameter '" + name + "' appears more than once");
      }
    }
    return out;
  }

  private static String decodeQuery(String raw, String request) {
    return ObjectKeys.percentDecode(raw)
        .orElseThrow(() -> SignRefusal.malformed(request, "the query is not validly percent-encoded UTF-8"));
  }
}
