package io.pangolin.admin;

/** A command that drives the storage path (warehouse check) was run without Iceberg, the AWS SDK or SLF4J. */
final class MissingEngineJarsException extends RuntimeException {

  MissingEngineJarsException(NoClassDefFoundError cause) {
    this(cause, "warehouse check --tenant TENANT NAME");
  }

  /** {@code command}: the subcommand and its arguments, as the operator runs them with the engine jars. */
  MissingEngineJarsException(NoClassDefFoundError cause, String command) {
    super("this command uses the warehouse's FileIO and needs Iceberg, the AWS SDK and SLF4J on the class path"
        + " (missing class: " + cause.getMessage() + "). From a directory holding these jars, run: "
        + EngineJars.command(command), cause);
  }
}
