package io.pangolin.serve.sign;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The keys of a DeleteObjects request ({@code POST /bucket?delete}). Its XML body is the one payload the signer
 * reads, and the payload itself is never signed (UNSIGNED-PAYLOAD): only a signed Content-MD5 or x-amz-checksum-*
 * header binds the body S3 receives to the keys checked here, so one must be present and match the body exactly.
 *
 * @param keys the keys to delete, in the body's order
 * @param quiet whether the body asks for a quiet response
 */
public record DeleteObjectsBody(List<String> keys, boolean quiet) {

  /** S3's own limit on keys per DeleteObjects request. */
  public static final int MAX_KEYS = 1_000;

  /** Far above 1,000 keys of 1,024 bytes, however escaped; a larger body is not parsed at all. */
  private static final int MAX_BODY_CHARS = 8 * 1024 * 1024;

  /** The headers whose values bind a body, with how to compute each from the body's bytes. */
  private static final Map<String, Function<byte[], byte[]>> BINDING = Map.of(
      "content-md5", body -> digest("MD5", body),
      "x-amz-checksum-crc32", body -> crc(new CRC32(), body),
      "x-amz-checksum-crc32c", body -> crc(new CRC32C(), body),
      "x-amz-checksum-sha1", body -> digest("SHA-1", body),
      "x-amz-checksum-sha256", body -> digest("SHA-256", body));

  public DeleteObjectsBody {
    keys = List.copyOf(keys);
  }

  /**
   * Checks that the headers bind {@code body}, then parses it; {@code request} names the request in messages. Keys
   * are returned as written, not yet checked as object keys.
   */
  static DeleteObjectsBody parse(String body, S3Headers headers, String request) {
    if (body == null || body.isEmpty()) {
      throw SignRefusal.malformed(request, "DeleteObjects needs its XML body in the sign request");
    }
    if (body.length() > MAX_BODY_CHARS) {
      throw SignRefusal.malformed(request, "the DeleteObjects body is larger than " + MAX_BODY_CHARS + " characters");
    }
    checkBound(body.getBytes(UTF_8), headers, request);
    return parseXml(body, request);
  }

  private static void checkBound(byte[] body, S3Headers headers, String request) {
    if (headers.names().contains("x-amz-trailer")) {
      throw SignRefusal.forbidden(request, "DeleteObjects with a trailing checksum (x-amz-trailer) leaves its body"
          + " unbound by the signature; send Content-MD5 or an x-amz-checksum-* header instead");
    }
    boolean bound = false;
    for (String name : headers.names()) {
      boolean valueHeader = name.equals("content-md5") || (name.startsWith("x-amz-checksum-")
          && !name.equals("x-amz-checksum-algorithm") && !name.equals("x-amz-checksum-type"));
      if (!valueHeader) {
        continue;
      }
      Function<byte[], byte[]> compute = BINDING.get(name);
      if (compute == null) {
        throw SignRefusal.forbidden(request, "the signer cannot verify " + name + " against the DeleteObjects body;"
            + " use Content-MD5 or x-amz-checksum-crc32, -crc32c, -sha1 or -sha256");
      }
      Optional<byte[]> claimed = headers.single(name, request).flatMap(DeleteObjectsBody::base64);
      if (claimed.isEmpty() || !MessageDigest.isEqual(claimed.get(), compute.apply(body))) {
        throw SignRefusal.forbidden(request, "the " + name + " header does not match the DeleteObjects body");
      }
      bound = true;
    }
    if (!bound) {
      throw SignRefusal.forbidden(request, "DeleteObjects carries no Content-MD5 or x-amz-checksum-crc32, -crc32c,"
          + " -sha1 or -sha256 header; without one the unsigned body could name other keys");
    }
  }

  private static DeleteObjectsBody parseXml(String body, String request) {
    Element root;
    try {
      DocumentBuilder builder = hardenedBuilder();
      builder.setErrorHandler(new DefaultHandler());
      root = builder.parse(new ByteArrayInputStream(body.getBytes(UTF_8))).getDocumentElement();
    } catch (SAXException | IOException e) {
      // The parser's message may quote the body; the caller learns only that it is not acceptable XML.
      throw SignRefusal.malformed(request, "the DeleteObjects body is not well-formed XML without a DTD");
    }
    if (!"Delete".equals(root.getLocalName())) {
      throw SignRefusal.malformed(request, "the DeleteObjects body's root element is not <Delete>");
    }
    List<String> keys = new ArrayList<>();
    boolean quiet = false;
    for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) {
        continue;
      }
      if (child.getNodeType() != Node.ELEMENT_NODE) {
        throw SignRefusal.malformed(request, "the DeleteObjects body holds text or nodes outside its elements");
      }
      switch (child.getLocalName()) {
        case "Object" -> keys.add(objectKey((Element) child, request));
        case "Quiet" -> quiet = Boolean.parseBoolean(child.getTextContent().trim());
        default -> throw SignRefusal.forbidden(request, "the DeleteObjects body holds an element <"
            + child.getLocalName() + ">; only <Object><Key> and <Quiet> are signed");
      }
      if (keys.size() > MAX_KEYS) {
        throw SignRefusal.malformed(request, "DeleteObjects names more than " + MAX_KEYS + " keys");
      }
    }
    if (keys.isEmpty()) {
      throw SignRefusal.malformed(request, "DeleteObjects names no key");
    }
    return new DeleteObjectsBody(keys, quiet);
  }

  /** The key of one {@code <Object>}; a version id would delete a version for good, so it is refused. */
  private static String objectKey(Element object, String request) {
    String key = null;
    for (Node child = object.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child.getNodeType() == Node.TEXT_NODE && child.getTextContent().isBlank()) {
        continue;
      }
      if (child.getNodeType() != Node.ELEMENT_NODE || !"Key".equals(child.getLocalName()) || key != null) {
        throw SignRefusal.forbidden(request, "each <Object> of a DeleteObjects body must hold exactly one <Key>"
            + " and nothing else (no <VersionId>)");
      }
      key = child.getTextContent();
    }
    if (key == null) {
      throw SignRefusal.malformed(request, "an <Object> of the DeleteObjects body has no <Key>");
    }
    return key;
  }

  private static DocumentBuilder hardenedBuilder() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
      factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setXIncludeAware(false);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder();
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("The JDK's XML parser cannot be hardened", e);
    }
  }

  private static Optional<byte[]> base64(String value) {
    try {
      return Optional.of(Base64.getDecoder().decode(value));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static byte[] crc(Checksum checksum, byte[] body) {
    checksum.update(body, 0, body.length);
    return ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array();
  }

  private static byte[] digest(String algorithm, byte[] body) {
    try {
      return MessageDigest.getInstance(algorithm).digest(body);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK lacks " + algorithm, e);
    }
  }
}
