package io.pangolin.metastore;

/**
 * The catalog database could not be reached. Nothing was changed by the request that got this, unless the
 * exception says otherwise.
 */
public class StoreUnavailableException extends StoreException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
