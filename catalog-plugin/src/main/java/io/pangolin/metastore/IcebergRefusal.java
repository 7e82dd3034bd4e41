package io.pangolin.metastore;

import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;

/**
 * Builds Iceberg's refusals. Kept apart from {@link SqlErrors} so that class loads without Iceberg on the class
 * path (the admin command line); this one is loaded only when a refusal is made where Iceberg is present.
 */
final class IcebergRefusal {

  private IcebergRefusal() {}

  static RuntimeException forbidden(String message, Throwable cause) {
    return new ForbiddenException(cause, "%s", message);
  }

  /** The server refused the login itself: not authenticated, rather than authenticated and refused an action. */
  static RuntimeException notAuthorized(String message, Throwable cause) {
    return new NotAuthorizedException(cause, "%s", message);
  }
}
