package io.pangolin.serve;

import picocli.CommandLine;

/** Entry point of {@code pangolin serve}. */
public final class ServeMain {

  private ServeMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new ServeCommand(System.getenv())).execute(args));
  }
}
