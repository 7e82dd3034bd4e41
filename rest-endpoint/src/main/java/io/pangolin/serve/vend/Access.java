package io.pangolin.serve.vend;

/** What vended credentials may do under a table's location: read its files, or also write and delete them. */
public enum Access {
  READ,
  WRITE
}
