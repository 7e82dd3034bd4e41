package io.pangolin.admin;

/** A command that drives the storage path (warehouse check) was run without Iceberg and the AWS SDK. */
final class MissingEngineJarsException extends RuntimeException {

  MissingEngineJarsException(NoClassDefFoundError cause) {
    super("this command uses the warehouse's FileIO and needs Iceberg and the AWS SDK on the class path; run it as"
        + " 'java -cp pangolin-catalog-<v>.jar:iceberg-spark-runtime-<v>.jar:iceberg-aws-bundle-<v>.jar"
        + " io.pangolin.admin.PangolinCli warehouse check ...' (missing class: " + cause.getMessage() + ")", cause);
  }
}
