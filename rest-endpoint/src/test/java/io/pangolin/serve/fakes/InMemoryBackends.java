package io.pangolin.serve.fakes;

import static java.util.Objects.requireNonNull;

import io.pangolin.serve.Backends;
import io.pangolin.serve.auth.Authenticator;
import io.pangolin.serve.auth.Caller;
import io.pangolin.serve.catalog.CatalogAccess;
import io.pangolin.serve.catalog.RequestCatalog;
import io.pangolin.serve.idempotency.IdempotencyKeys;
import io.pangolin.serve.sign.SignService;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.requests.CommitTransactionRequest;
import org.apache.iceberg.rest.requests.RemoteSignRequest;
import org.apache.iceberg.rest.responses.ImmutableRemoteSignResponse;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;
import org.apache.iceberg.rest.responses.RemoteSignResponse;

/**
 * Test backends over Iceberg's {@link InMemoryCatalog}: one client ({@link #CLIENT_ID}/{@link #CLIENT_SECRET}) gets
 * one fixed token, one warehouse ({@link #WAREHOUSE}) has prefix {@link #PREFIX}. They prove the HTTP layer's
 * routing, JSON and error mapping; the real backends replace them with the same tests.
 */
public final class InMemoryBackends implements Backends {

  public static final String CLIENT_ID = "client";
  public static final String CLIENT_SECRET = "secret-d0f1c2";
  public static final String TOKEN = "token-5e1f-not-a-real-one-93ab";
  public static final String PRINCIPAL = "alice";
  public static final String WAREHOUSE = "acme/main";
  public static final String PREFIX = "main";

  private final InMemoryCatalog catalog = new InMemoryCatalog();
  private final InMemoryIdempotencyKeys keys = new InMemoryIdempotencyKeys();
  /** How many request catalogs are open right now: each request must close the one it opened. */
  public final AtomicInteger openCatalogs = new AtomicInteger();

  public InMemoryBackends(String warehouseLocation) {
    catalog.initialize("in-memory", Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouseLocation));
  }

  /** What a REST client needs to reach this warehouse as the one client. */
  public static Map<String, String> clientProperties() {
    return Map.of(
        "credential", CLIENT_ID + ":" + CLIENT_SECRET,
        CatalogProperties.WAREHOUSE_LOCATION, WAREHOUSE,
        CatalogProperties.FILE_IO_IMPL, "org.apache.iceberg.inmemory.InMemoryFileIO");
  }

  @Override
  public Authenticator authenticator() {
    return new FixedToken();
  }

  @Override
  public CatalogAccess catalogs() {
    return new OnePrefix();
  }

  @Override
  public SignService signer() {
    return (caller, prefix, table, request) -> sign(request);
  }

  @Override
  public IdempotencyKeys idempotencyKeys() {
    return keys;
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static RemoteSignResponse sign(RemoteSignRequest request) {
    return ImmutableRemoteSignResponse.builder()
        .uri(request.uri())
        .headers(Map.of("Authorization", List.of("AWS4-HMAC-SHA256 Credential=fake")))
        .build();
  }

  private static final class FixedToken implements Authenticator {
    @Override
    public Caller authenticate(String bearerToken) {
      if (!TOKEN.equals(bearerToken)) {
        throw new NotAuthorizedException("Not authorized: the token is unknown or expired");
      }
      return new Caller(PRINCIPAL, bearerToken);
    }

    @Override
    public OAuthTokenResponse issue(String clientId, String clientSecret) {
      if (!CLIENT_ID.equals(clientId) || !CLIENT_SECRET.equals(clientSecret)) {
        throw new NotAuthorizedException("Not authorized: wrong client id or secret for %s", clientId);
      }
      return token();
    }

    @Override
    public OAuthTokenResponse exchange(String subjectToken) {
      authenticate(subjectToken);
      return token();
    }

    private static OAuthTokenResponse token() {
      return OAuthTokenResponse.builder()
          .withToken(TOKEN)
          .withTokenType("bearer")
          .withIssuedTokenType("urn:ietf:params:oauth:token-type:access_token")
          .setExpirationInSeconds(3600)
          .build();
    }
  }

  private final class OnePrefix implements CatalogAccess {
    @Override
    public String prefixFor(Caller caller, String warehouse) {
      if (!WAREHOUSE.equals(warehouse)) {
        throw new NotFoundException("No warehouse %s", warehouse);
      }
      return PREFIX;
    }

    @Override
    public RequestCatalog open(Caller caller, String prefix) {
      requireNonNull(caller, "caller");
      if (!PREFIX.equals(prefix)) {
        throw new NotFoundException("No catalog with prefix %s", prefix);
      }
      openCatalogs.incrementAndGet();
      return new Request();
    }
  }

  private final class Request implements RequestCatalog {
    @Override
    public Catalog tables() {
      return catalog;
    }

    @Override
    public SupportsNamespaces namespaces() {
      return catalog;
    }

    @Override
    public ViewCatalog views() {
      return catalog;
    }

    /** Not atomic: enough for the HTTP layer's tests, which prove routing, not transactions. */
    @Override
    public void commitTransaction(CommitTransactionRequest request) {
      request.tableChanges().forEach(change -> CatalogHandlers.updateTable(catalog, change.identifier(), change));
    }

    @Override
    public void close() {
      openCatalogs.decrementAndGet();
    }
  }

}
