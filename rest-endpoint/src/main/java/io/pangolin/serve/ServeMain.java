package io.pangolin.serve;

import picocli.CommandLine;

/** Entry point of {@code pangolin serve}. */
public final class ServeMain {

  private ServeMain() {}

  public static void main(String[] args) {
    // Named as operators type it: bin/pangolin hands 'serve ...' to this class.
    System.exit(new CommandLine(new ServeCommand(System.getenv())).setCommandName("pangolin serve").execute(args));
  }
}
