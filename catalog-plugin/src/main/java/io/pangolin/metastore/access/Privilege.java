package io.pangolin.metastore.access;

/**
 * What a grant allows. Each constant's {@link #name()} is the text stored in {@code pangolin.grants.privilege} and
 * passed to {@code pangolin.grant_privilege}, so a new privilege is a new constant plus the migration that admits it
 * (the CHECK constraint {@code grants_privilege_check}; a test compares the two).
 */
public enum Privilege {
  READ,
  WRITE,
  CREATE,
  DROP,
  MANAGE_GRANTS,
  /** Restore a dropped table or view (on its catalog or the namespace it is restored into); also lists the graveyard. */
  UNDROP,
  /** Collect what is past its drop retention in a catalog (granted on the catalog). */
  GC,
  /** Create branches and tags of a catalog (granted on the catalog). */
  CREATE_BRANCH,
  /** Merge a branch into another of a catalog (granted on the catalog). */
  MERGE,
  /** Delete branches and tags of a catalog (granted on the catalog). */
  DELETE_BRANCH
}
