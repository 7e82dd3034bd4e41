package io.pangolin.security;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts warehouse secrets at rest with AES-256-GCM under the operator's master key. A stored value reads
 * {@code pgl:v1:<key id>:<base64 of nonce, ciphertext and tag>}; the key id (a digest of the key, not the key)
 * lets a wrong master key be reported as such instead of as corrupt data. The context (tenant/warehouse) is
 * bound as associated data, so a ciphertext copied onto another warehouse's row does not decrypt.
 */
public final class SecretCipher {

  public static final String PREFIX = "pgl:v1:";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final String keyId;
  private final SecureRandom random = new SecureRandom();

  private SecretCipher(byte[] keyBytes) {
    if (keyBytes.length != 32) {
      throw new IllegalArgumentException(
          "The Pangolin master key must be 32 bytes (base64 of 32 random bytes); got " + keyBytes.length
              + " bytes. Generate one with 'pangolin key generate'.");
    }
    this.key = new SecretKeySpec(keyBytes, "AES");
    this.keyId = keyIdOf(keyBytes);
  }

  /** A cipher from a base64-encoded 32-byte key. */
  public static SecretCipher fromBase64(String base64Key) {
    requireNonNull(base64Key, "base64Key");
    try {
      return new SecretCipher(Base64.getDecoder().decode(base64Key.trim()));
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("The Pangolin master key")) {
        throw e;
      }
      throw new IllegalArgumentException(
          "The Pangolin master key is not valid base64. Generate one with 'pangolin key generate'.");
    }
  }

  /** A new random key, base64-encoded. */
  public static String generateKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  public static boolean isEncrypted(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** The key id (fingerprint) a sealed value names; "" when it names none. */
  public static String sealedKeyId(String stored) {
    if (!isEncrypted(stored)) {
      return "";
    }
    String rest = stored.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    return colon < 0 ? "" : rest.substring(0, colon);
  }

  /** Fails, saying how to fix it, when {@code stored} is not a sealed value. */
  static void requireSealed(String stored, String context) {
    if (!isEncrypted(stored)) {
      throw new IllegalStateException("The secret of " + context + " is not encrypted; re-set it with"
          + " 'pangolin warehouse set-credentials' (a setting: 'warehouse update --secret-setting') so that it is");
    }
  }

  public String keyId() {
    return keyId;
  }

  public String encrypt(Secret secret, String context) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(secret.reveal().getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot encrypt a secret for " + context, e);
    }
  }

  public Secret decrypt(String stored, String context) {
    requireSealed(stored, context);
    String rest = stored.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    String storedKeyId = colon < 0 ? "" : rest.substring(0, colon);
    if (!storedKeyId.equals(keyId)) {
      throw new IllegalStateException("The secret of " + context + " was encrypted with another master key (key id "
          + storedKeyId + "; the key given has id " + keyId + "). Give the master key it was stored with.");
    }
    try {
      byte[] all = Base64.getDecoder().decode(rest.substring(colon + 1));
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
      return Secret.of(new String(plain, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException("The stored secret of " + context + " cannot be decrypted: it was altered, or"
          + " it belongs to another warehouse or key. Store it again: 'pangolin warehouse set-credentials' for the"
          + " access key, 'pangolin warehouse update --secret-setting' for a setting.");
    }
  }

  private static String keyIdOf(byte[] keyBytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBytes);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SecretCipher{keyId=" + keyId + "}";
  }
}
