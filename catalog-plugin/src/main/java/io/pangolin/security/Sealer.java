package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Seals secrets for storage and opens them again, each bound to a context (tenant/warehouse, and the setting's
 * key for a secret setting) so that a sealed value copied to another row does not open.
 *
 * <p>Keys per tenant: a tenant that has a key of its own (its fingerprint recorded in the database, passed here as
 * {@code tenantKey}) has every secret sealed with it, and a value of it opens only with it; the fingerprints are
 * compared before any decryption, so a wrong key is reported as such, naming the tenant and both fingerprints, never
 * as corrupt data. A tenant without one still has its secrets sealed with the shared master key, which keeps
 * opening them until they are re-sealed ('pangolin key reseal'). Without any key nothing can be sealed or opened,
 * and the message says how to give one. No message ever holds a secret or a key.
 */
public final class Sealer {

  private static final String TENANT_KEY_HOW = "an engine takes it from the catalog property"
      + " 'pangolin.tenant-key-file' (or the environment variable named by 'pangolin.tenant-key-env', by default"
      + " PANGOLIN_TENANT_KEY); the admin command line from --tenant-key-file FILE or PANGOLIN_TENANT_KEY";

  private final Keyring keys;

  public Sealer(Optional<SecretCipher> masterKey) {
    this(Keyring.master(requireNonNull(masterKey, "masterKey")));
  }

  public Sealer(Keyring keys) {
    this.keys = requireNonNull(keys, "keys");
  }

  /** The sealed form of {@code secret} for a tenant without a key of its own (the shared master key). */
  public String seal(String context, String what, Secret secret) {
    return seal(tenantOf(context), Optional.empty(), context, what, secret);
  }

  /**
   * The sealed form of {@code secret} of {@code tenant}, whose own key has fingerprint {@code tenantKey} (empty
   * while it has none); {@code what} names the secret in errors.
   */
  public String seal(String tenant, Optional<String> tenantKey, String context, String what, Secret secret) {
    return sealingKey(tenant, tenantKey, "store " + what).encrypt(secret, context);
  }

  /** The key secrets of {@code tenant} are sealed with now; fails, saying what to give, when it is not held. */
  public SecretCipher sealingKey(String tenant, Optional<String> tenantKey, String doing) {
    if (tenantKey.isPresent()) {
      return keys.byId(tenantKey.get()).orElseThrow(() -> wrongKey(tenant, tenantKey.get(), doing));
    }
    if (keys.masterKey().isPresent()) {
      return keys.masterKey().get();
    }
    if (keys.tenantKey().isPresent()) {
      throw new IllegalStateException("Cannot " + doing + ": tenant '" + tenant + "' has no key of its own yet, so"
          + " its secrets are sealed with the shared master key (--master-key-file or PANGOLIN_MASTER_KEY), which"
          + " was not given. Give it, or give the tenant its own key first: 'pangolin key reseal --tenant " + tenant
          + " --from-key-file MASTER --to-key-file TENANT_KEY'.");
    }
    throw new IllegalStateException("Cannot " + doing + ": secrets are stored encrypted and no master key was"
        + " given. Set PANGOLIN_MASTER_KEY (or --master-key-file), or the tenant's key (--tenant-key-file or"
        + " PANGOLIN_TENANT_KEY); generate a key with 'pangolin key generate'.");
  }

  /** Opens a sealed value of a tenant without a key of its own (the key is found by the value's key id). */
  public Secret open(String context, String stored) {
    return open(tenantOf(context), Optional.empty(), context, stored);
  }

  /**
   * Opens a sealed value now. With {@code tenantKey} (the tenant's own key's fingerprint) only that key is tried,
   * and only when the value names it; without, the key the value names, which is the shared master key.
   */
  public Secret open(String tenant, Optional<String> tenantKey, String context, String stored) {
    SecretCipher.requireSealed(stored, context);
    String sealedWith = SecretCipher.sealedKeyId(stored);
    if (tenantKey.isPresent()) {
      if (!tenantKey.get().equals(sealedWith)) {
        throw new IllegalStateException("The secret of " + context + " is sealed with the key of fingerprint "
            + sealedWith + ", not with tenant '" + tenant + "''s own key (fingerprint " + tenantKey.get() + "):"
            + " it was written around Pangolin. Store it again: 'pangolin warehouse set-credentials' for the access"
            + " key, 'pangolin warehouse update --secret-setting' for a setting.");
      }
      return keys.byId(sealedWith).orElseThrow(() -> wrongKey(tenant, sealedWith, "open the secret of " + context))
          .decrypt(stored, context);
    }
    if (keys.isEmpty()) {
      throw new IllegalStateException("Warehouse '" + context + "' has an encrypted secret but no master key was"
          + " given: an engine takes it from the catalog property 'pangolin.master-key-file' or the environment"
          + " variable PANGOLIN_MASTER_KEY (named by 'pangolin.master-key-env'); the admin command line from"
          + " --master-key-file FILE or PANGOLIN_MASTER_KEY");
    }
    return keys.byId(sealedWith).orElseThrow(() -> new IllegalStateException("The secret of " + context
        + " was encrypted with another master key (key fingerprint " + sealedWith + "; tenant '" + tenant + "' has no"
        + " key of its own yet, so this is the shared master key it was stored with), and the key(s) given have"
        + " fingerprint(s) " + keys.fingerprints() + ". Give the master key it was stored with; then give the"
        + " tenant a key of its own with 'pangolin key reseal --tenant " + tenant + "'."))
        .decrypt(stored, context);
  }

  /** A secret that opens {@code stored} when it is first revealed, so reading a row needs no key; null for null. */
  public Secret openOnUse(String context, String stored) {
    return openOnUse(tenantOf(context), Optional.empty(), context, stored);
  }

  /** As {@link #open(String, Optional, String, String)}, when first revealed; null for null. */
  public Secret openOnUse(String tenant, Optional<String> tenantKey, String context, String stored) {
    return stored == null ? null : Secret.openedOnUse(() -> open(tenant, tenantKey, context, stored).reveal());
  }

  private IllegalStateException wrongKey(String tenant, String tenantKey, String doing) {
    String given = keys.isEmpty() ? "no key was given" : "the key(s) given have fingerprint(s) " + keys.fingerprints();
    return new IllegalStateException("Cannot " + doing + ": tenant '" + tenant + "' seals its secrets with its own key"
        + " (key fingerprint " + tenantKey + "), and " + given + " (key fingerprint mismatch). Give tenant '" + tenant
        + "''s key: " + TENANT_KEY_HOW + ".");
  }

  private static String tenantOf(String context) {
    int slash = context.indexOf('/');
    return slash < 0 ? context : context.substring(0, slash);
  }
}
