package io.pangolin.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command may touch: the environment, the standard streams (injected, so tests can run it) and what the JVM
 * holds of the engine jars the storage commands need.
 */
record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err, EngineJars engineJars) {}
