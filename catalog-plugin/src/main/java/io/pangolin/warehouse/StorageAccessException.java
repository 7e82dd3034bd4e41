package io.pangolin.warehouse;

/** A warehouse's object store refused or failed a request. The message names the warehouse, never a secret. */
public class StorageAccessException extends RuntimeException {

  public StorageAccessException(String message, Throwable cause) {
    super(message, cause);
  }
}
