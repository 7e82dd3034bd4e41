package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Seals secrets for storage and opens them again, each bound to a context (tenant/warehouse, and the setting's
 * key for a secret setting) so that a sealed value copied to another row does not open. Without a master key
 * nothing can be sealed or opened, and the message says how to give one.
 */
public final class Sealer {

  private final Optional<SecretCipher> cipher;

  public Sealer(Optional<SecretCipher> cipher) {
    this.cipher = requireNonNull(cipher, "cipher");
  }

  /** The sealed form of {@code secret}; {@code what} names it in the error when there is no master key. */
  public String seal(String context, String what, Secret secret) {
    SecretCipher key = cipher.orElseThrow(() -> new IllegalStateException("Cannot store " + what
        + ": secrets are stored encrypted and no master key was given. Set"
        + " PANGOLIN_MASTER_KEY (or --master-key-file); generate a key with 'pangolin key generate'."));
    return key.encrypt(secret, context);
  }

  /** Opens a sealed value now; fails when there is no master key or the value was sealed for another context. */
  public Secret open(String context, String stored) {
    SecretCipher key = cipher.orElseThrow(() -> new IllegalStateException("Warehouse '" + context + "' has an"
        + " encrypted secret but no master key was given: an engine takes it from the catalog property"
        + " 'pangolin.master-key-file' or the environment variable PANGOLIN_MASTER_KEY (named by"
        + " 'pangolin.master-key-env'); the admin command line from --master-key-file FILE or PANGOLIN_MASTER_KEY"));
    return key.decrypt(stored, context);
  }

  /** A secret that opens {@code stored} when it is first revealed, so reading a row needs no key; null for null. */
  public Secret openOnUse(String context, String stored) {
    return stored == null ? null : Secret.openedOnUse(() -> open(context, stored).reveal());
  }
}
