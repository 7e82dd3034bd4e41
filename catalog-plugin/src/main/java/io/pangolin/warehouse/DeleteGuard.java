package io.pangolin.warehouse;

/**
 * Decides, on the FileIO a catalog hands out on the driver, whether a delete may go ahead. Engines purge a dropped
 * table themselves through the table's FileIO (Spark's {@code DROP TABLE ... PURGE} does); the catalog uses a guard
 * to hold such deletes back so that only gc deletes a dropped table's files, after its retention. Never serialized:
 * copies on executors delete what they are asked to.
 */
@FunctionalInterface
public interface DeleteGuard {

  DeleteGuard NONE = location -> true;

  /** True when {@code location} may be deleted now; false to keep it (the guard reports why). */
  boolean mayDelete(String location);
}
