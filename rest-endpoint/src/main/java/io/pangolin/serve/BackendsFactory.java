package io.pangolin.serve;

/** Builds the real {@link Backends} over PostgreSQL: the one place the integrator wires them. */
final class BackendsFactory {

  private BackendsFactory() {}

  static Backends open(DatabaseSettings database) {
    throw new IllegalStateException("not wired yet");
  }
}
