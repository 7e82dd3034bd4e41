package io.pangolin.metastore.refs;

import io.pangolin.metastore.ObjectInUseException;
import java.util.List;

/** A merge refused because the target changed tables or views the branch changed too; nothing was applied. */
public class MergeConflictException extends ObjectInUseException {

  private final List<String> conflicts;

  public MergeConflictException(String message, List<String> conflicts) {
    super(message);
    this.conflicts = List.copyOf(conflicts);
  }

  /** The conflicting tables and views, as namespace.name. */
  public List<String> conflicts() {
    return conflicts;
  }
}
