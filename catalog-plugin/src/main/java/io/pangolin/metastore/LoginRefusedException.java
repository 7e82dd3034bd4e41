package io.pangolin.metastore;

/**
 * The server refused the login (SQLSTATE class 28): the user, its password or the server's host rules are wrong. A
 * refusal like any other, before any action: the engine's catalog hands it on as Iceberg's
 * {@code NotAuthorizedException} (see {@link Database#withRefusals}).
 */
public class LoginRefusedException extends RefusedException {

  public LoginRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
