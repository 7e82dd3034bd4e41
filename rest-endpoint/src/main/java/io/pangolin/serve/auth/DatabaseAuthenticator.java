package io.pangolin.serve.auth;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import io.pangolin.metastore.DatabaseLogin;
import io.pangolin.metastore.DriverDataSource;
import io.pangolin.metastore.LoginRefusedException;
import io.pangolin.metastore.RefusedException;
import io.pangolin.metastore.SqlErrors;
import io.pangolin.metastore.StoreUnavailableException;
import io.pangolin.metastore.delegation.ActingDataSource;
import io.pangolin.metastore.delegation.TokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.rest.responses.OAuthTokenResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication decided by PostgreSQL. A client's secret is checked by logging in as the client (one physical
 * connection, no pool: PostgreSQL applies the password, pg_hba, VALID UNTIL and connection limits), in which session the
 * principal mints its own token. A bearer token is honoured while the database accepts it in {@code pangolin.act_as}.
 * Nothing here stores a password or a token.
 */
public final class DatabaseAuthenticator implements Authenticator {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseAuthenticator.class);

  static final String ACTING_PRINCIPAL = "SELECT pangolin.acting_principal()";
  private static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";
  private static final int MAX_CLIENT_ID = 63;
  private static final int MAX_SECRET = 1024;

  private final String jdbcUrl;
  private final DataSource endpointConnections;
  private final Duration lifetime;
  private final Clock clock;

  public DatabaseAuthenticator(String jdbcUrl, DataSource endpointConnections, Duration lifetime, Clock clock) {
    this.jdbcUrl = requireNonNull(jdbcUrl, "jdbcUrl");
    this.endpointConnections = requireNonNull(endpointConnections, "endpointConnections");
    this.lifetime = requireNonNull(lifetime, "lifetime");
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public Caller authenticate(String bearerToken) {
    if (bearerToken == null || bearerToken.isEmpty() || bearerToken.length() > 200) {
      throw invalidToken();
    }
    try (Connection conn = new ActingDataSource(endpointConnections, bearerToken).getConnection();
        PreparedStatement ps = conn.prepareStatement(ACTING_PRINCIPAL);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Caller(rs.getString(1), bearerToken);
    } catch (SQLException e) {
      if (SqlErrors.isLoginRefused(e)) {
        throw invalidToken();
      }
      throw unavailable("check a token", e);
    }
  }

  @Override
  public OAuthTokenResponse issue(String clientId, String clientSecret) {
    if (clientId == null || clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID || clientSecret == null
        || clientSecret.isEmpty() || clientSecret.length() > MAX_SECRET) {
      throw invalidClient();
    }
    DriverDataSource asClient = new DriverDataSource(jdbcUrl,
        Map.of("user", clientId, "password", clientSecret, "ApplicationName", "pangolin serve token"));
    try {
      return response(new TokenStore(Database.of(asClient, DatabaseLogin.of(jdbcUrl, clientId))).issue(lifetime));
    } catch (LoginRefusedException e) {
      throw invalidClient();
    } catch (RefusedException e) {
      // Only a right password gets this far: an answer of its own would tell a caller it guessed the password of a
      // login that may hold no token (a superuser, this endpoint's own). The operator reads why in the log.
      LOG.info("Refused a token to login {} although its password was right: {}", clientId, e.getMessage());
      throw invalidClient();
    } catch (StoreUnavailableException e) {
      throw new ServiceUnavailableException("Cannot issue a token: the catalog database is unavailable");
    }
  }

  @Override
  public OAuthTokenResponse exchange(String subjectToken) {
    if (subjectToken == null || subjectToken.isEmpty() || subjectToken.length() > 200) {
      throw invalidToken();
    }
    TokenStore tokens = new TokenStore(Database.of(endpointConnections, DatabaseLogin.of(jdbcUrl, null)));
    return response(tokens.exchange(subjectToken, lifetime,
        e -> SqlErrors.isLoginRefused(e) ? invalidToken() : null));
  }

  private OAuthTokenResponse response(TokenStore.Token token) {
    long seconds = Math.max(1, Duration.between(clock.instant(), token.expiresAt()).toSeconds());
    return OAuthTokenResponse.builder()
        .withToken(token.value())
        .withTokenType("bearer")
        .withIssuedTokenType(ACCESS_TOKEN_TYPE)
        .setExpirationInSeconds((int) Math.min(Integer.MAX_VALUE, seconds))
        .build();
  }

  private static NotAuthorizedException invalidClient() {
    return new NotAuthorizedException("Invalid client credentials: the client id must be a Pangolin principal's login"
        + " and the secret its password");
  }

  private static NotAuthorizedException invalidToken() {
    return new NotAuthorizedException("The token is not valid: it is unknown, expired or revoked, or its principal"
        + " may no longer sign in; get a new one with the principal's credentials");
  }

  private static ServiceUnavailableException unavailable(String what, SQLException e) {
    return new ServiceUnavailableException("Cannot %s: the catalog database answered SQLSTATE %s", what,
        SqlErrors.state(e));
  }
}
