package io.pangolin.serve.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.Optional;

/**
 * The rules an object key (or a listing prefix) must meet before a request touching it is signed. A key that a
 * store, a proxy or a file-system backend could read as leaving its directory is refused outright rather than
 * normalised, so the key compared with a table's location is the key the store acts on.
 */
final class ObjectKeys {

  /** S3's own limit on a key's length in UTF-8 bytes. */
  static final int MAX_KEY_BYTES = 1024;

  private ObjectKeys() {}

  /**
   * Why {@code key} cannot be signed, or empty when it can. A listing prefix may end with '/', an object key may not.
   */
  static Optional<String> problem(String key, boolean prefix) {
    if (key.isEmpty()) {
      return Optional.of(prefix ? "the listing prefix is empty" : "the object key is empty");
    }
    if (key.getBytes(UTF_8).length > MAX_KEY_BYTES) {
      return Optional.of("the key is longer than " + MAX_KEY_BYTES + " bytes");
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '\\') {
        return Optional.of("the key contains a backslash");
      }
      if (c < 0x20 || c == 0x7f) {
        return Optional.of("the key contains a control character");
      }
    }
    String[] segments = key.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of("the key has a '" + segment + "' segment");
      }
      boolean trailing = i == segments.length - 1;
      if (segment.isEmpty() && !(prefix && trailing && i > 0)) {
        return Optional.of("the key has an empty segment (a leading, doubled or trailing '/')");
      }
    }
    return Optional.empty();
  }

  /**
   * Percent-decodes {@code raw} exactly once as UTF-8; '+' stays '+'. Empty when the encoding is malformed (a
   * stray '%', bad hex digits, or bytes that are not UTF-8).
   */
  static Optional<String> percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return Optional.of(raw);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return Optional.empty();
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return Optional.empty();
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else {
        int next = raw.indexOf('%', i);
        int end = next < 0 ? raw.length() : next;
        byte[] literal = raw.substring(i, end).getBytes(UTF_8);
        bytes.write(literal, 0, literal.length);
        i = end - 1;
      }
    }
    try {
      return Optional.of(UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
