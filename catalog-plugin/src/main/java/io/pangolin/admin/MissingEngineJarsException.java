package io.pangolin.admin;

/** A command that drives the storage path (warehouse check) was run without Iceberg, the AWS SDK or SLF4J. */
final class MissingEngineJarsException extends RuntimeException {

  MissingEngineJarsException(NoClassDefFoundError cause) {
    super("this command uses the warehouse's FileIO and needs Iceberg, the AWS SDK and SLF4J on the class path"
        + " (missing class: " + cause.getMessage() + "). From a directory holding these jars, run: "
        + EngineJars.checkCommand() + " --tenant TENANT NAME", cause);
  }
}
