package io.pangolin.serve.sign;

import io.pangolin.serve.auth.Caller;
import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.RemoteSignResponse;

/**
 * S3 request signing: a request is signed only when the database says the caller may read (or write) the table
 * whose location holds every object it touches; otherwise Iceberg's
 * {@link org.apache.iceberg.exceptions.ForbiddenException} naming the principal, the privilege and the table.
 */
public interface SignService {

  /**
   * Signs {@code request} for {@code caller} in the catalog behind {@code prefix}: for {@code table} when the REST
   * client names it (the spec's per-table route), or for whichever table holds the objects (plugin engines, whose
   * one FileIO per warehouse names no table).
   */
  RemoteSignResponse sign(Caller caller, String prefix, Optional<TableIdentifier> table, RemoteSignRequest request);
}
