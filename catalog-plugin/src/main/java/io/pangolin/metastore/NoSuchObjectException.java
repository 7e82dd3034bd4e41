package io.pangolin.metastore;

/** A tenant, warehouse or catalog named in a request does not exist. The message names it and the fix. */
public class NoSuchObjectException extends IllegalArgumentException {

  public NoSuchObjectException(String message) {
    super(message);
  }
}
