package io.pangolin.metastore;

/**
 * What a grant allows. Each constant's {@link #name()} is the text stored in {@code pangolin.grants.privilege} and
 * passed to {@code pangolin.grant_privilege}, so a new privilege is a new constant plus the migration that admits it.
 */
public enum Privilege {
  READ,
  WRITE,
  CREATE,
  DROP,
  MANAGE_GRANTS
}
