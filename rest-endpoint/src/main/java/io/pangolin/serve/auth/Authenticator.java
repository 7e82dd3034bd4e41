package io.pangolin.serve.auth;

import org.apache.iceberg.rest.responses.OAuthTokenResponse;

/**
 * Authentication, decided by PostgreSQL: a client's secret is checked by logging in as it, and a bearer token is
 * honoured only while the database holds its digest unexpired. Failures are Iceberg's
 * {@link org.apache.iceberg.exceptions.NotAuthorizedException} with a message that names no secret.
 */
public interface Authenticator {

  /** The caller a bearer token (the text after "Bearer ") stands for. */
  Caller authenticate(String bearerToken);

  /** OAuth2 client credentials: {@code clientId} is the principal's login, {@code clientSecret} its password. */
  OAuthTokenResponse issue(String clientId, String clientSecret);

  /** OAuth2 token exchange: a fresh token for the principal a still-valid token stands for. */
  OAuthTokenResponse exchange(String subjectToken);
}
