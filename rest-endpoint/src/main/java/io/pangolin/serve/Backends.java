package io.pangolin.serve;

import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.idempotency.IdempotencyKeys;
import io.pangolin.serve.sign.SignService;

/**
 * What the HTTP layer needs from the rest of the endpoint: who callers are, their catalogs, signing and the
 * idempotency store. Closing it releases what they hold (the database pool).
 */
public interface Backends extends AutoCloseable {

  Authenticator authenticator();

  CatalogAccess catalogs();

  SignService signer();

  IdempotencyKeys idempotencyKeys();

  @Override
  void close();
}
