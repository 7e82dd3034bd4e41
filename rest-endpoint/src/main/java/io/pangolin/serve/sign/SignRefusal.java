package io.pangolin.serve.sign;

import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.ForbiddenException;

/**
 * The exceptions a refused sign request ends in. Messages name the request (method and path, never its query
 * values or headers' values) and why it is refused; Iceberg formats them, so they go through "%s" untouched.
 */
final class SignRefusal {

  private SignRefusal() {}

  /** A well-formed request the endpoint will not sign. */
  static ForbiddenException forbidden(String request, String why) {
    return new ForbiddenException("%s", "Refused to sign " + request + ": " + why);
  }

  /** A request that is not a well-formed S3 request. */
  static BadRequestException malformed(String request, String why) {
    return new BadRequestException("%s", "Cannot sign " + request + ": " + why);
  }
}
