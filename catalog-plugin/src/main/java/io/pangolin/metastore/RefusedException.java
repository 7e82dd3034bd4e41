package io.pangolin.metastore;

/**
 * The catalog database refused the login what it asked: its access control (a privilege, a row-level security
 * policy, one of Pangolin's triggers) or a write on a tag. The message names the principal, the privilege and the
 * object. Pangolin's own type, so the admin command line needs no engine class to report it; the engine's catalog
 * turns it into Iceberg's ForbiddenException where it opens its database ({@link Database#withRefusals}).
 */
public class RefusedException extends StoreException {

  public RefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}
