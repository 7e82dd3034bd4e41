package io.pangolin.metastore;

/** A tenant, warehouse or catalog named in a request does not exist. The message names it and the fix. */
public class NoSuchObjectException extends IllegalArgumentException {

  public NoSuchObjectException(String message) {
    super(message);
  }

  public static NoSuchObjectException tenant(String tenant) {
    return new NoSuchObjectException(
        "Unknown tenant '" + tenant + "': create it first with 'pangolin tenant create " + tenant + "'");
  }

  public static NoSuchObjectException warehouse(String tenant, String warehouse) {
    return new NoSuchObjectException("Unknown warehouse '" + warehouse + "' in tenant '" + tenant + "'");
  }

  public static NoSuchObjectException role(String role) {
    return new NoSuchObjectException("Unknown role '" + role + "': create it with 'pangolin principal create " + role
        + "' (add --group for a group)");
  }
}
