package io.pangolin.serve.routes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.sign.SignService;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.Endpoint;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.RemoteSignResponse;

/**
 * S3 request signing: the spec's per-table route, and a per-catalog one for plugin engines, whose one FileIO per
 * warehouse names no table.
 */
final class SignRoutes {

  static final Endpoint V1_CATALOG_REMOTE_SIGN = Endpoint.create("POST", "/v1/{prefix}/sign");

  private final SignService signer;

  SignRoutes(SignService signer) {
    this.signer = requireNonNull(signer, "signer");
  }

  List<Route> routes() {
    return List.of(
        Route.read(Endpoint.V1_TABLE_REMOTE_SIGN, call -> sign(call, Optional.of(call.table()))),
        Route.read(V1_CATALOG_REMOTE_SIGN, call -> sign(call, Optional.empty())));
  }

  private Reply sign(Call call, Optional<TableIdentifier> table) {
    RemoteSignResponse signed =
        signer.sign(call.caller(), call.prefix(), table, call.body(RemoteSignRequest.class));
    // A signed request is a short-lived credential: no cache may keep it, and the client must not share it between
    // principals (its JVM-wide cache is keyed by URI only).
    return Reply.json(200, call.json().write(signed)).withHeader("Cache-Control", "no-store");
  }
}
