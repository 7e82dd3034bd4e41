package io.pangolin.warehouse;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Proves a warehouse works the way engines will use it: through its own FileIO and credentials, write a probe
 * object under the root, read it back, delete it. A failure is named plainly (unreachable endpoint, wrong keys,
 * missing bucket, no permission) with the store's own words beside it.
 */
public final class WarehouseCheck {

  /** The outcome: each step taken, and the problem if one was found, with its fix when the check knows one. */
  public record Result(String warehouse, boolean ok, String problem, String detail, String fix, List<String> steps) {
    public Result {
      steps = List.copyOf(steps);
    }
  }

  /** What a failure means, and the setting that fixes it (null when the check cannot tell). */
  private record Diagnosis(String problem, String fix) {}

  /** Error codes S3-compatible stores give when they refuse the AWS SDK's default integrity checksums. */
  private static final Set<String> CHECKSUM_CODES =
      Set.of("XAmzContentSHA256Mismatch", "BadDigest", "InvalidDigest", "InvalidChecksum");

  private final StorageResolver resolver;

  public WarehouseCheck(StorageResolver resolver) {
    this.resolver = requireNonNull(resolver, "resolver");
  }

  public Result run(WarehouseConfig warehouse) {
    List<String> steps = new ArrayList<>();
    String name = warehouse.qualifiedName();
    ResolvedStorage storage;
    try {
      storage = resolver.resolve(warehouse);
      if (warehouse.secretAccessKey() != null) {
        warehouse.secretAccessKey().reveal();
      }
      steps.add("credentials resolved (" + warehouse.credentialType().code() + ")");
    } catch (RuntimeException e) {
      return new Result(name, false, "credentials cannot be used", e.getMessage(), null, steps);
    }
    String probe = StorageLocations.normalize(warehouse.storageRoot()) + "/.pangolin-check/" + UUID.randomUUID();
    byte[] payload = ("pangolin warehouse check " + probe).getBytes(StandardCharsets.UTF_8);
    try (WarehouseFileIO io = new WarehouseFileIO(storage)) {
      String stage = "write";
      try {
        OutputFile out = io.newOutputFile(probe);
        try (PositionOutputStream stream = out.createOrOverwrite()) {
          stream.write(payload);
        }
        steps.add("wrote " + probe);
        stage = "read";
        byte[] read;
        try (InputStream in = io.newInputFile(probe).newStream()) {
          read = in.readAllBytes();
        }
        if (!java.util.Arrays.equals(read, payload)) {
          return new Result(name, false, "the object read back differs from the one written", probe, null, steps);
        }
        steps.add("read it back");
        stage = "delete";
        io.deleteFile(probe);
        steps.add("deleted it");
        return new Result(name, true, null, null, null, steps);
      } catch (IOException | RuntimeException e) {
        Diagnosis diagnosis = classify(e, stage, warehouse);
        return new Result(name, false, diagnosis.problem(), rootMessage(e), diagnosis.fix(), steps);
      }
    }
  }

  private static Diagnosis classify(Throwable e, String stage, WarehouseConfig warehouse) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof S3Exception s3) {
        String code = s3.awsErrorDetails() == null ? "" : String.valueOf(s3.awsErrorDetails().errorCode());
        switch (code) {
          case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken":
            return new Diagnosis("wrong keys: the store does not accept this warehouse's access key or secret",
                command(warehouse, "set-credentials", "--credentials static --access-key-id ID --secret-env VAR"));
          case "NoSuchBucket":
            return new Diagnosis("missing bucket: the bucket of the warehouse root does not exist",
                "create the bucket, or point the warehouse at the right store with "
                    + command(warehouse, "update", "--endpoint URL --path-style-access"));
          case "AccessDenied":
            return new Diagnosis("no " + stage + " permission: the keys are valid but may not " + stage
                + " under the root", null);
          default:
            String refused = "the store refused the " + stage + " (" + code + ", HTTP " + s3.statusCode() + ")";
            if (CHECKSUM_CODES.contains(code)) {
              return new Diagnosis(refused + ": it does not accept the AWS SDK's default request checksums",
                  command(warehouse, "update", "--checksum-mode when-required"));
            }
            return new Diagnosis(refused, null);
        }
      }
      if (t instanceof UnknownHostException) {
        return new Diagnosis("unreachable endpoint: the host name " + t.getMessage() + " does not resolve",
            warehouse.settings().containsKey(WarehouseSettings.ENDPOINT)
                ? "correct the endpoint with " + command(warehouse, "update", "--endpoint URL")
                : "the warehouse has no endpoint, so it addresses AWS S3; for an S3-compatible store run "
                    + command(warehouse, "update", "--endpoint URL --path-style-access"));
      }
      if (t instanceof ConnectException || (t instanceof SdkClientException && t.getCause() == null
          && String.valueOf(t.getMessage()).contains("Unable to execute HTTP request"))) {
        return new Diagnosis("unreachable endpoint: cannot connect to the store",
            "check that the store runs at the warehouse's endpoint "
                + warehouse.settings().getOrDefault(WarehouseSettings.ENDPOINT, "(AWS S3)") + ", or correct it with "
                + command(warehouse, "update", "--endpoint URL"));
      }
      if (t instanceof java.nio.file.AccessDeniedException) {
        return new Diagnosis("no " + stage + " permission on the local path", null);
      }
    }
    return new Diagnosis("the " + stage + " failed", null);
  }

  private static String command(WarehouseConfig warehouse, String subcommand, String options) {
    return "'pangolin warehouse " + subcommand + " --tenant " + warehouse.tenant() + " " + warehouse.name() + " "
        + options + "'";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
