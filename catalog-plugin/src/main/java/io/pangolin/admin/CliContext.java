package io.pangolin.admin;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** What a command may touch: the environment and the standard streams (injected, so tests can run it). */
record CliContext(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {}
