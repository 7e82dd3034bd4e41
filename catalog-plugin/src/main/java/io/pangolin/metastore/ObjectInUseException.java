package io.pangolin.metastore;

/** An object cannot be deleted while others depend on it; the message says which and what to do. */
public class ObjectInUseException extends IllegalStateException {

  public ObjectInUseException(String message) {
    super(message);
  }
}
