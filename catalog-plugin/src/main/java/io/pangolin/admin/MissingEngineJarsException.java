package io.pangolin.admin;

/**
 * A storage command ('warehouse check', 'gc') was run without the engine jars: the message names the missing jars,
 * the directory they go in and the commands that download them ({@link EngineJars}). Exit code 6.
 */
final class MissingEngineJarsException extends RuntimeException {

  MissingEngineJarsException(String howTo, NoClassDefFoundError cause) {
    super(howTo, cause);
  }
}
