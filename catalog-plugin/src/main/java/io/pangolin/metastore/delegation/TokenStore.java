package io.pangolin.metastore.delegation;

import static java.util.Objects.requireNonNull;

import io.pangolin.metastore.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Tokens for pangolin serve (R__16_tokens.sql): minted by a principal's own session ({@link #issue}), exchanged by
 * the endpoint's login for the principal a valid token stands for ({@link #exchange}). The database keeps only
 * their digests; a token the database refuses leaves as the database's refusal (a login-class SQLSTATE).
 */
public final class TokenStore {

  static final String ISSUE = "SELECT token, expires_at FROM pangolin.issue_token(make_interval(secs => ?))";
  static final String EXCHANGE = "SELECT token, expires_at FROM pangolin.exchange_token(?, make_interval(secs => ?))";
  static final String REVOKE = "SELECT pangolin.revoke_tokens()";

  private final Database db;

  public TokenStore(Database db) {
    this.db = requireNonNull(db, "db");
  }

  /** A token for the principal this database's login is (called in that principal's own session). */
  public Token issue(Duration lifetime) {
    return db.run("issue a token", null, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(ISSUE)) {
        ps.setLong(1, seconds(lifetime));
        return token(ps);
      }
    });
  }

  /** A fresh token for the principal {@code subject} stands for (called by pangolin serve's login). */
  public Token exchange(String subject, Duration lifetime, Function<SQLException, RuntimeException> translate) {
    requireNonNull(subject, "subject");
    return db.run("exchange a token", translate, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(EXCHANGE)) {
        ps.setString(1, subject);
        ps.setLong(2, seconds(lifetime));
        return token(ps);
      }
    });
  }

  /** Ends every token of the acting principal; answers how many there were. */
  public int revokeAll() {
    return db.run("revoke tokens", null, conn -> {
      try (PreparedStatement ps = conn.prepareStatement(REVOKE); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    });
  }

  private static Token token(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new Token(rs.getString(1), rs.getTimestamp(2).toInstant());
    }
  }

  private static long seconds(Duration lifetime) {
    return requireNonNull(lifetime, "lifetime").toSeconds();
  }

  /** A token and when it ends; its text never appears in {@link #toString()}. */
  public record Token(String value, Instant expiresAt) {

    public Token {
      requireNonNull(value, "value");
      requireNonNull(expiresAt, "expiresAt");
    }

    @Override
    public String toString() {
      return "Token{expires " + expiresAt + "}";
    }
  }
}
