package io.pangolin.metastore;

/** A tenant, warehouse or catalog of that name already exists. */
public class ObjectExistsException extends IllegalStateException {

  public ObjectExistsException(String message) {
    super(message);
  }
}
