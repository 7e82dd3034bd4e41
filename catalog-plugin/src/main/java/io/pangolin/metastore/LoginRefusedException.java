package io.pangolin.metastore;

/**
 * The server refused the login (SQLSTATE class 28): the user, its password or the server's host rules are wrong.
 * Where Iceberg is present Iceberg's own {@code NotAuthorizedException} is thrown instead (see {@link SqlErrors}).
 */
public class LoginRefusedException extends StoreException {

  public LoginRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
