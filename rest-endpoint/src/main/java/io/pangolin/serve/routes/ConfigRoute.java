package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.catalog.CatalogAccess;
import java.util.List;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.ResourcePaths;
import org.apache.iceberg.rest.responses.ConfigResponse;

/**
 * {@code GET /v1/config?warehouse=}: the prefix of the catalog the client named, the endpoints this server answers
 * and how long an idempotency key is kept.
 */
final class ConfigRoute {

  static final Endpoint ENDPOINT = Endpoint.create("GET", "/" + ResourcePaths.config());
  /** What {@code /v1/config} announces; the key store must keep keys at least this long. */
  static final String IDEMPOTENCY_KEY_LIFETIME = "PT30M";

  private final CatalogAccess access;
  private final List<Endpoint> served;

  ConfigRoute(CatalogAccess access, List<Endpoint> served) {
    this.access = requireNonNull(access, "access");
    this.served = List.copyOf(served);
  }

  Route route() {
    return Route.read(ENDPOINT, this::answer);
  }

  private Reply answer(Call call) {
    String warehouse = call.query("warehouse");
    if (warehouse == null || warehouse.isBlank()) {
      throw new BadRequestException(
          "No warehouse named: set the REST catalog property warehouse=<tenant>/<catalog> to choose a catalog");
    }
    ConfigResponse config = ConfigResponse.builder()
        .withOverride("prefix", access.prefixFor(call.caller(), warehouse))
        .withEndpoints(served)
        .withIdempotencyKeyLifetime(IDEMPOTENCY_KEY_LIFETIME)
        .build();
    return Reply.json(200, call.json().write(config));
  }
}
