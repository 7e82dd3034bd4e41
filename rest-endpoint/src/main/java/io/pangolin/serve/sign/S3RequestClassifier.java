package io.pangolin.serve.sign;

import static io.pangolin.serve.sign.S3Access.Access.READ;
import static io.pangolin.serve.sign.S3Access.Access.WRITE;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.rest.requests.RemoteSignRequest;

/**
 * Says what an engine's S3 request would do before it is signed, and refuses every request that is not a read,
 * listing, write or delete of objects at the warehouse's endpoint. Reads: GetObject, HeadObject, ListObjectsV2 with a
 * non-empty prefix. Writes: PutObject, the multipart upload calls, DeleteObject and DeleteObjects. Everything else
 * (sub-resources such as ?acl or ?tagging, copies, versions, bucket-level calls, unknown x-amz-* headers, another
 * endpoint or region) ends in {@link ForbiddenException}, or {@link BadRequestException} when malformed.
 */
public final class S3RequestClassifier {

  private static final Set<String> OBJECT_READ_PARAMS = Set.of("partNumber");
  private static final Set<String> LIST_PARTS_PARAMS = Set.of("uploadId", "max-parts", "part-number-marker");
  private static final Set<String> UPLOAD_PART_PARAMS = Set.of("partNumber", "uploadId");
  private static final Set<String> LIST_PARAMS = Set.of("list-type", "prefix", "delimiter", "continuation-token",
      "start-after", "max-keys", "encoding-type", "fetch-owner");

  private static final Pattern PART_NUMBER = Pattern.compile("[1-9][0-9]{0,4}");
  private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}");

  private S3RequestClassifier() {}

  /** What {@code request} would do at {@code target}, or the refusal naming the operation and why. */
  public static S3Access classify(RemoteSignRequest request, S3Target target) {
    String method = request.method() == null ? "" : request.method().toUpperCase(Locale.ROOT);
    String label = method + " " + (request.uri() == null ? "(no uri)" : request.uri().getRawPath());
    if (request.uri() == null) {
      throw SignRefusal.malformed(label, "the sign request has no uri");
    }
    if (request.provider() != null && !request.provider().equals("s3")) {
      throw SignRefusal.malformed(label, "provider '" + request.provider() + "' is not signed here; only s3 is");
    }
    if (!target.region().equals(request.region())) {
      throw SignRefusal.forbidden(label, "region '" + request.region() + "' is not the warehouse's region '"
          + target.region() + "'");
    }
    S3Address address = S3Address.parse(request.uri(), target, label);
    S3Headers headers = S3Headers.of(request.headers(), label);
    headers.checkAllowed(label);
    S3Access access = address.bucketLevel()
        ? bucketOperation(method, address, headers, request.body(), label)
        : objectOperation(method, address, label);
    for (String key : access.keys()) {
      ObjectKeys.problem(key, access.listing()).ifPresent(why -> {
        throw SignRefusal.forbidden(label, access.operation() + " of s3://" + access.bucket() + "/" + key
            + " is not signed: " + why);
      });
    }
    return access;
  }

  private static S3Access objectOperation(String method, S3Address address, String label) {
    Set<String> params = address.query().keySet();
    String bucket = address.bucket();
    String key = address.key();
    switch (method) {
      case "GET", "HEAD" -> {
        if (method.equals("GET") && params.contains("uploadId")) {
          only(params, LIST_PARTS_PARAMS, "ListParts", label);
          return S3Access.object(WRITE, "ListParts", bucket, key);
        }
        String operation = method.equals("GET") ? "GetObject" : "HeadObject";
        only(params, OBJECT_READ_PARAMS, operation, label);
        partNumber(address, false, label);
        return S3Access.object(READ, operation, bucket, key);
      }
      case "PUT" -> {
        if (!params.contains("uploadId") && !params.contains("partNumber")) {
          only(params, Set.of(), "PutObject", label);
          return S3Access.object(WRITE, "PutObject", bucket, key);
        }
        only(params, UPLOAD_PART_PARAMS, "UploadPart", label);
        partNumber(address, true, label);
        uploadId(address, label);
        return S3Access.object(WRITE, "UploadPart", bucket, key);
      }
      case "POST" -> {
        if (params.contains("uploads")) {
          only(params, Set.of("uploads"), "CreateMultipartUpload", label);
          return S3Access.object(WRITE, "CreateMultipartUpload", bucket, key);
        }
        if (!params.contains("uploadId")) {
          throw SignRefusal.forbidden(label, "POST on an object is signed only as CreateMultipartUpload (?uploads)"
              + " or CompleteMultipartUpload (?uploadId)" + describeParams(params));
        }
        only(params, Set.of("uploadId"), "CompleteMultipartUpload", label);
        uploadId(address, label);
        return S3Access.object(WRITE, "CompleteMultipartUpload", bucket, key);
      }
      case "DELETE" -> {
        if (!params.contains("uploadId")) {
          only(params, Set.of(), "DeleteObject", label);
          return S3Access.object(WRITE, "DeleteObject", bucket, key);
        }
        only(params, Set.of("uploadId"), "AbortMultipartUpload", label);
        uploadId(address, label);
        return S3Access.object(WRITE, "AbortMultipartUpload", bucket, key);
      }
      default -> throw SignRefusal.forbidden(label, "method " + method + " on an object is not signed");
    }
  }

  private static S3Access bucketOperation(String method, S3Address address, S3Headers headers, String body,
      String label) {
    Set<String> params = address.query().keySet();
    String bucket = address.bucket();
    if (method.equals("GET") && params.contains("list-type")) {
      only(params, LIST_PARAMS, "ListObjectsV2", label);
      if (!"2".equals(address.query().get("list-type"))) {
        throw SignRefusal.forbidden(label, "only ListObjectsV2 (list-type=2) listings are signed");
      }
      String encoding = address.query().get("encoding-type");
      if (encoding != null && !encoding.equals("url")) {
        throw SignRefusal.malformed(label, "encoding-type must be url");
      }
      String maxKeys = address.query().get("max-keys");
      if (maxKeys != null && !NUMBER.matcher(maxKeys).matches()) {
        throw SignRefusal.malformed(label, "max-keys must be a number");
      }
      String prefix = address.query().getOrDefault("prefix", "");
      if (prefix.isEmpty()) {
        throw SignRefusal.forbidden(label, "ListObjectsV2 of bucket " + bucket + " without a prefix would list"
            + " every table; list under a table's location");
      }
      return new S3Access(READ, "ListObjectsV2", bucket, List.of(prefix), true);
    }
    if (method.equals("POST") && params.equals(Set.of("delete"))) {
      DeleteObjectsBody delete = DeleteObjectsBody.parse(body, headers, label);
      return new S3Access(WRITE, "DeleteObjects", bucket, delete.keys(), false);
    }
    throw SignRefusal.forbidden(label, "bucket-level request " + method + " on bucket " + bucket
        + describeParams(params) + " is not signed; only ListObjectsV2 with a prefix and DeleteObjects are");
  }

  /** Refuses any parameter outside {@code allowed}: every other one is a sub-resource or changes the operation. */
  private static void only(Set<String> params, Set<String> allowed, String operation, String label) {
    for (String param : new TreeSet<>(params)) {
      if (!allowed.contains(param)) {
        throw SignRefusal.forbidden(label, "the query parameter '" + param + "' is not signed for " + operation
            + " (allowed: " + new TreeSet<>(allowed) + "); sub-resources such as acl, policy, tagging, versioning,"
            + " lifecycle, cors or website are never signed");
      }
    }
  }

  private static void partNumber(S3Address address, boolean required, String label) {
    String part = address.query().get("partNumber");
    if ((part == null && required) || (part != null && !PART_NUMBER.matcher(part).matches())) {
      throw SignRefusal.malformed(label, "partNumber must be a number from 1 to 10000");
    }
    if (part != null && Integer.parseInt(part) > 10_000) {
      throw SignRefusal.malformed(label, "partNumber must be a number from 1 to 10000");
    }
  }

  private static void uploadId(S3Address address, String label) {
    if (address.query().getOrDefault("uploadId", "").isBlank()) {
      throw SignRefusal.malformed(label, "uploadId must not be empty");
    }
  }

  private static String describeParams(Set<String> params) {
    return params.isEmpty() ? "" : " with query parameters "
        + String.join(", ", new TreeSet<>(params).stream().map(p -> "'" + p + "'").toList());
  }
}
