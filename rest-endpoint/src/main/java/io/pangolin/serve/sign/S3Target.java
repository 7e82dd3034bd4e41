package io.pangolin.serve.sign;

import static java.util.Objects.requireNonNull;

import io.pangolin.warehouse.WarehouseSettings;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * A warehouse's S3 endpoint as signing needs it: where requests may go (scheme, host, port), the region they are
 * signed for, and how buckets are addressed. Requests aimed anywhere else are never signed.
 */
public record S3Target(String scheme, String host, int port, String region, boolean pathStyle) {

  public S3Target {
    requireNonNull(scheme, "scheme");
    requireNonNull(host, "host");
    requireNonNull(region, "region");
    scheme = scheme.toLowerCase(Locale.ROOT);
    host = host.toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("S3 endpoint scheme must be http or https, got '" + scheme + "'");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("S3 endpoint host must not be empty");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("S3 endpoint port must be 1 to 65535, got " + port);
    }
    if (region.isBlank()) {
      throw new IllegalArgumentException("S3 region must not be empty");
    }
  }

  /**
   * The target a warehouse's settings describe ({@link WarehouseSettings#ENDPOINT}, {@link WarehouseSettings#REGION},
   * {@link WarehouseSettings#PATH_STYLE_ACCESS}). Without an endpoint it is AWS's regional endpoint, addressed by
   * virtual host as AWS's SDK does.
   */
  public static S3Target fromSettings(Map<String, String> settings) {
    requireNonNull(settings, "settings");
    String region = settings.getOrDefault(WarehouseSettings.REGION, WarehouseSettings.REGION_DEFAULT).trim();
    String endpoint = settings.get(WarehouseSettings.ENDPOINT);
    boolean pathStyle = Boolean.parseBoolean(settings.getOrDefault(WarehouseSettings.PATH_STYLE_ACCESS, "false").trim());
    URI uri = endpoint == null || endpoint.isBlank()
        ? URI.create("https://s3." + region + ".amazonaws.com")
        : URI.create(endpoint.trim());
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new IllegalArgumentException("S3 endpoint '" + uri + "' is not an absolute http(s) URL with a host;"
          + " set the warehouse's '" + WarehouseSettings.ENDPOINT + "' to e.g. https://s3.example.com:9000");
    }
    return new S3Target(uri.getScheme(), uri.getHost(), effectivePort(uri), region, pathStyle);
  }

  /** The port a URI reaches: its own, or its scheme's default (80 for http, 443 for https), -1 if neither. */
  static int effectivePort(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    return switch (scheme) {
      case "http" -> 80;
      case "https" -> 443;
      default -> -1;
    };
  }

  /** The endpoint as scheme://host:port, for messages. */
  public String endpoint() {
    return scheme + "://" + host + ":" + port;
  }
}
