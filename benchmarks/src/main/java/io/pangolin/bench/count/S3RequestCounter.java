package io.pangolin.bench.count;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Counts every HTTP request any AWS SDK client in this JVM sends, retries included, by S3 operation. The SDK
 * loads it into every client it builds from the classpath resource
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so it sees the requests of S3FileIO
 * inside Pangolin and inside JdbcCatalog alike without touching either. The harness runs one operation at a
 * time while counting, so the difference across an operation is that operation's cost.
 */
public final class S3RequestCounter implements ExecutionInterceptor {

  private static final Map<String, LongAdder> BY_KIND = new ConcurrentHashMap<>();
  private static final Map<String, String> SHORT_NAMES = Map.of(
      "GetObject", "GET", "HeadObject", "HEAD", "PutObject", "PUT", "DeleteObject", "DELETE",
      "DeleteObjects", "DELETE-BATCH", "ListObjectsV2", "LIST", "CreateMultipartUpload", "MPU");

  /** Needed by the SDK, which instantiates the class by name. */
  public S3RequestCounter() {}

  @Override
  public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
    String operation = context.request().getClass().getSimpleName().replaceFirst("Request$", "");
    BY_KIND.computeIfAbsent(SHORT_NAMES.getOrDefault(operation, operation), k -> new LongAdder()).increment();
  }

  /** Requests sent so far, by kind. */
  public static Counts snapshot() {
    Map<String, Long> s3 = new TreeMap<>();
    BY_KIND.forEach((k, v) -> s3.put(k, v.sum()));
    return new Counts(Map.of(), 0, s3);
  }
}
