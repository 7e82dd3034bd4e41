package io.pangolin.metastore;

import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * Builds Iceberg's refusal. Kept apart from {@link SqlErrors} so that class loads without Iceberg on the class
 * path (the admin command line); this one is loaded only when a refusal is made where Iceberg is present.
 */
final class IcebergRefusal {

  private IcebergRefusal() {}

  static RuntimeException forbidden(String message, Throwable cause) {
    return new ForbiddenException(cause, "%s", message);
  }
}
