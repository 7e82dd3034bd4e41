package io.pangolin.catalog;

import io.pangolin.metastore.RefusedException;
import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * The engine boundary for refusals: the metastore reports them as Pangolin's {@link RefusedException}, and an engine
 * expects Iceberg's ForbiddenException (Spark and Flink show it as a permission error, not a failure of the catalog).
 */
final class IcebergRefusals {

  private IcebergRefusals() {}

  /** The same message and database error, as Iceberg's exception. */
  static ForbiddenException forbidden(RefusedException refused) {
    return new ForbiddenException(refused.getCause(), "%s", refused.getMessage());
  }
}
