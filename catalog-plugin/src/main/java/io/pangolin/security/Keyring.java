package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys a process holds: the shared master key of the time before keys per tenant (which stays valid for every
 * tenant whose secrets it sealed), and the key of the tenant the process works for. A key is found by its id (its
 * fingerprint, {@link SecretCipher#keyId()}), which every sealed value names, so a value opens only with the key
 * that sealed it and a process holding one tenant's key opens no other tenant's secrets.
 */
public final class Keyring {

  private static final Keyring EMPTY = new Keyring(Optional.empty(), Optional.empty());

  private final Optional<SecretCipher> master;
  private final Optional<SecretCipher> tenantKey;

  private Keyring(Optional<SecretCipher> master, Optional<SecretCipher> tenantKey) {
    this.master = requireNonNull(master, "master");
    this.tenantKey = requireNonNull(tenantKey, "tenantKey");
  }

  public static Keyring of(Optional<SecretCipher> master, Optional<SecretCipher> tenantKey) {
    return new Keyring(master, tenantKey);
  }

  /** Only the shared master key (or nothing): how Pangolin worked before keys per tenant. */
  public static Keyring master(Optional<SecretCipher> master) {
    return new Keyring(master, Optional.empty());
  }

  public static Keyring tenantKey(SecretCipher key) {
    return new Keyring(Optional.empty(), Optional.of(key));
  }

  public static Keyring empty() {
    return EMPTY;
  }

  public Optional<SecretCipher> masterKey() {
    return master;
  }

  public Optional<SecretCipher> tenantKey() {
    return tenantKey;
  }

  public boolean isEmpty() {
    return master.isEmpty() && tenantKey.isEmpty();
  }

  /** The key whose id is {@code keyId}, if this ring holds it. */
  public Optional<SecretCipher> byId(String keyId) {
    return all().stream().filter(k -> k.keyId().equals(keyId)).findFirst();
  }

  /** The fingerprints of the keys held, for messages: never a key. */
  public List<String> fingerprints() {
    return all().stream().map(SecretCipher::keyId).toList();
  }

  private List<SecretCipher> all() {
    List<SecretCipher> out = new ArrayList<>(2);
    tenantKey.ifPresent(out::add);
    master.ifPresent(out::add);
    return out;
  }

  @Override
  public String toString() {
    return "Keyring" + fingerprints();
  }
}
