package io.pangolin.serve.routes;

import static java.util.Map.entry;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NamespaceNotEmptyException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NoSuchViewException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.eclipse.jetty.http.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exceptions to the spec's {@link ErrorResponse}, typed with the exception's simple name (Iceberg's clients choose
 * the exception they throw by it). Never a stack trace: anything unexpected is a 500 naming an incident id that the
 * log holds with the exception.
 */
public final class ErrorMapper {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

  /** First match wins, so subclasses come before their parents. */
  private static final List<Map.Entry<Class<? extends Exception>, Integer>> STATUS = List.of(
      entry(NoSuchNamespaceException.class, 404),
      entry(NoSuchTableException.class, 404),
      entry(NoSuchViewException.class, 404),
      entry(NotFoundException.class, 404),
      entry(AlreadyExistsException.class, 409),
      entry(CommitFailedException.class, 409),
      entry(NamespaceNotEmptyException.class, 409),
      // The spec reads 500, 502 and 504 on a commit as "state unknown": the client must not clean up.
      entry(CommitStateUnknownException.class, 500),
      entry(ForbiddenException.class, 403),
      entry(NotAuthorizedException.class, 401),
      entry(BadRequestException.class, 400),
      entry(ValidationException.class, 400),
      entry(IllegalArgumentException.class, 400),
      entry(ServiceUnavailableException.class, 503),
      entry(UnsupportedOperationException.class, 406));

  private final RestJson json;

  public ErrorMapper(RestJson json) {
    this.json = requireNonNull(json, "json");
  }

  public Reply reply(Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // Jetty's own refusals (a body over the size limit, a malformed query) keep their status.
      if (cause instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
        return reply(http.getCode(), "BadRequestException", String.valueOf(http.getReason()));
      }
    }
    for (Map.Entry<Class<? extends Exception>, Integer> known : STATUS) {
      if (known.getKey().isInstance(failure)) {
        Reply reply = reply(known.getValue(), failure.getClass().getSimpleName(), failure.getMessage());
        return known.getValue() == 401 ? reply.withHeader("WWW-Authenticate", "Bearer") : reply;
      }
    }
    String incident = UUID.randomUUID().toString();
    LOG.error("Incident {}: {} failed unexpectedly", incident, failure.getClass().getName(), failure);
    return reply(500, "InternalServerError", "Internal server error, incident " + incident);
  }

  Reply reply(int status, String type, String message) {
    ErrorResponse error = ErrorResponse.builder()
        .responseCode(status)
        .withType(type)
        .withMessage(message == null ? type : message)
        .build();
    return Reply.json(status, json.write(error));
  }
}
