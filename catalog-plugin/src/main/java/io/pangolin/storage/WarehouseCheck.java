package io.pangolin.storage;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  /** The outcome: each step taken, and the problem if one was found. */
  public record Result(String warehouse, boolean ok, String problem, String detail, List<String> steps) {
    public Result {
      steps = List.copyOf(steps);
    }
  }

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
      return new Result(name, false, "credentials cannot be used", e.getMessage(), steps);
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
          return new Result(name, false, "the object read back differs from the one written", probe, steps);
        }
        steps.add("read it back");
        stage = "delete";
        io.deleteFile(probe);
        steps.add("deleted it");
        return new Result(name, true, null, null, steps);
      } catch (IOException | RuntimeException e) {
        return new Result(name, false, classify(e, stage), rootMessage(e), steps);
      }
    }
  }

  private static String classify(Throwable e, String stage) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof S3Exception s3) {
        String code = s3.awsErrorDetails() == null ? "" : String.valueOf(s3.awsErrorDetails().errorCode());
        switch (code) {
          case "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken":
            return "wrong keys: the store does not accept this warehouse's access key or secret";
          case "NoSuchBucket":
            return "missing bucket: the bucket of the warehouse root does not exist";
          case "AccessDenied":
            return "no " + stage + " permission: the keys are valid but may not " + stage + " under the root";
          default:
            return "the store refused the " + stage + " (" + code + ", HTTP " + s3.statusCode() + ")";
        }
      }
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || (t instanceof SdkClientException && t.getCause() == null
              && String.valueOf(t.getMessage()).contains("Unable to execute HTTP request"))) {
        return "unreachable endpoint: cannot connect to the store";
      }
      if (t instanceof java.nio.file.AccessDeniedException) {
        return "no " + stage + " permission on the local path";
      }
    }
    return "the " + stage + " failed";
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }
}
