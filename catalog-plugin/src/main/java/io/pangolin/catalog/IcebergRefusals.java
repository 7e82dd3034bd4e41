package io.pangolin.catalog;

import io.pangolin.metastore.LoginRefusedException;
import io.pangolin.metastore.RefusedException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;

/**
 * The engine boundary for refusals: the metastore reports them as Pangolin's {@link RefusedException}, and an engine
 * expects Iceberg's exceptions (Spark and Flink show them as a permission error, not a failure of the catalog): a
 * refused login is not authenticated, any other refusal is forbidden.
 */
final class IcebergRefusals {

  private IcebergRefusals() {}

  /** The same message and database error, as Iceberg's exception. */
  static RuntimeException of(RefusedException refused) {
    if (refused instanceof LoginRefusedException) {
      return new NotAuthorizedException(refused.getCause(), "%s", refused.getMessage());
    }
    return new ForbiddenException(refused.getCause(), "%s", refused.getMessage());
  }
}
