package io.pangolin.testing;

import io.pangolin.metastore.SchemaMigrator;
import java.util.stream.Stream;

/**
 * The PostgreSQL servers a test runs on to cover the supported range: the oldest major Pangolin accepts and the
 * newest the tests know. For a parameterized test:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @MethodSource("io.pangolin.testing.SupportedPostgres#oldestAndNewest")
 * void works(TestPostgres server) { String url = server.newDatabase(); ... }
 * }</pre>
 *
 * <p>Each server starts the first time a test asks for it and is shared by the JVM; the default 17 of {@link
 * TestPostgres#get()} lies between them.
 */
public final class SupportedPostgres {

  public static final int OLDEST = SchemaMigrator.MIN_POSTGRES_MAJOR;
  public static final int NEWEST = SchemaMigrator.NEWEST_TESTED_POSTGRES_MAJOR;

  private SupportedPostgres() {}

  /** The oldest and the newest supported server, each started when JUnit reaches it. */
  public static Stream<TestPostgres> oldestAndNewest() {
    return Stream.of(OLDEST, NEWEST).map(TestPostgres::version);
  }
}
